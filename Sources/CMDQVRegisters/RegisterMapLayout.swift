/// A whole register map: its blocks, with decoding from an absolute offset to
/// a register instance that touches only the blocks, never every register.
public struct RegisterMapLayout: Sendable {
  /// Map identifier (`tegra241_cmdqv`, `smmuv3`).
  public let name: String
  public let blocks: [BlockLayout]

  public init(name: String, blocks: [BlockLayout]) {
    self.name = name
    self.blocks = blocks
  }

  /// The block called `name`. A precondition failure names the known blocks.
  public func block(_ name: String) -> BlockLayout {
    guard let block = blocks.first(where: { $0.name == name }) else {
      preconditionFailure("no block '\(name)' in map \(self.name); blocks: \(blocks.map(\.name).joined(separator: ", "))")
    }
    return block
  }

  /// The register instance at absolute `offset`, or `nil` for an unmapped
  /// offset. An offset inside a 64-bit register's upper half decodes to that
  /// register with `halfOffset == 4`.
  public func decode(offset: Int) -> RegisterInstance? {
    for block in blocks {
      guard let (info, indices, index, half) = block.decode(offset) else { continue }
      return RegisterInstance(
        map: name, block: block.name, aperture: block.aperture, info: info, offset: offset - half,
        indices: indices, index: index, name: block.instanceName(of: info, indices: indices, index: index),
        halfOffset: half)
    }
    return nil
  }

  /// Every concrete register instance, in block order, then block index, then
  /// register order. (Large for the full CMDQV map: use it for listings.)
  public func allInstances() -> [RegisterInstance] {
    var out: [RegisterInstance] = []
    for block in blocks {
      forEachIndex(block.dimensions) { indices in
        for info in block.registers {
          for i in 0..<info.count {
            let at = block.offset(of: info, indices: indices, index: i)
            out.append(
              RegisterInstance(
                map: name, block: block.name, aperture: block.aperture, info: info, offset: at,
                indices: indices, index: i, name: block.instanceName(of: info, indices: indices, index: i)))
          }
        }
      }
    }
    return out
  }

  private func forEachIndex(_ dims: [BlockDimension], _ body: ([Int]) -> Void) {
    var indices = [Int](repeating: 0, count: dims.count)
    func walk(_ level: Int) {
      if level == dims.count { body(indices); return }
      for i in 0..<dims[level].count {
        indices[level] = i
        walk(level + 1)
      }
    }
    walk(0)
  }
}
