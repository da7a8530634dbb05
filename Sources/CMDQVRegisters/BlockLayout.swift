/// A register block placed in an aperture: a base, zero or more array
/// dimensions, and the registers of one instance.
public struct BlockLayout: Sendable {
  /// Block identifier in the map, for example `VINTF` or `VCMDQ_PAGE0`.
  public let name: String
  /// Prefix of instance names for a block without dimensions (`CMDQV`).
  public let prefix: String
  /// Absolute offset of instance 0.
  public let base: Int
  public let dimensions: [BlockDimension]
  public let registers: [RegisterInfo]
  /// For an alias (aperture) block: the block whose storage it shows.
  public let aliasOf: String?
  /// Aperture label recorded in traces, for example `config`, `vcmdq_page0`,
  /// `vintf_page0`.
  public let aperture: String
  public let description: String

  // Offset within one instance -> (register, array index); built once.
  private let byOffset: [Int: (RegisterInfo, Int)]
  /// Bytes spanned by one instance's registers.
  public let extent: Int

  public init(
    name: String, prefix: String, base: Int, dimensions: [BlockDimension], registers: [RegisterInfo],
    aliasOf: String? = nil, aperture: String, description: String = ""
  ) {
    self.name = name
    self.prefix = prefix
    self.base = base
    self.dimensions = dimensions
    self.registers = registers
    self.aliasOf = aliasOf
    self.aperture = aperture
    self.description = description
    var table: [Int: (RegisterInfo, Int)] = [:]
    var extent = 0
    for register in registers {
      for i in 0..<register.count {
        let at = register.offset + i * register.stride
        table[at] = (register, i)
        extent = max(extent, at + register.width / 8)
      }
    }
    self.byOffset = table
    self.extent = extent
  }

  /// The absolute span that instances of this block can occupy.
  public var span: Range<Int> {
    let last = dimensions.reduce(0) { $0 + ($1.count - 1) * $1.stride }
    return base..<(base + last + extent)
  }

  /// Number of block instances (the product of the dimension counts).
  public var instanceCount: Int { dimensions.reduce(1) { $0 * $1.count } }

  /// Decodes `offset` within this block: the register, the block indices and
  /// the register's array index, and the byte offset within the register
  /// (non-zero for the upper half of a 64-bit register).
  public func decode(_ offset: Int) -> (RegisterInfo, [Int], Int, Int)? {
    guard span.contains(offset) else { return nil }
    var rel = offset - base
    var indices: [Int] = []
    indices.reserveCapacity(dimensions.count)
    for d in dimensions {
      let i = rel / d.stride
      guard i < d.count else { return nil }
      indices.append(i)
      rel -= i * d.stride
    }
    if let (info, index) = byOffset[rel] { return (info, indices, index, 0) }
    if let (info, index) = byOffset[rel - 4], info.width == 64 { return (info, indices, index, 4) }
    return nil
  }

  /// The absolute offset of `register` at block `indices` and array `index`.
  public func offset(of register: RegisterInfo, indices: [Int], index: Int = 0) -> Int {
    precondition(indices.count == dimensions.count, "\(name) takes \(dimensions.count) indices, got \(indices.count)")
    var at = base + register.offset + index * register.stride
    for (i, d) in zip(indices, dimensions) {
      precondition((0..<d.count).contains(i), "\(d.label) index \(i) is outside 0..<\(d.count)")
      at += i * d.stride
    }
    return at
  }

  /// The instance name of `register`: `VINTF1_SID_MATCH0`, `CMDQV_CONFIG`,
  /// `VINTF1_LVCMDQ1_CONS`.
  public func instanceName(of register: RegisterInfo, indices: [Int], index: Int) -> String {
    var name = dimensions.isEmpty ? prefix : ""
    for (i, d) in zip(indices, dimensions) {
      if !name.isEmpty { name += "_" }
      name += "\(d.label)\(i)"
    }
    if !name.isEmpty { name += "_" }
    name += register.name
    if register.count > 1 { name += "\(index)" }
    return name
  }
}
