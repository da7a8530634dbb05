/// What `po ctx`, `print(ctx)` and lldb's `p` (through the mirror) show: the
/// object table, one object per line, not the object graph.
extension IOMMUFDContext: CustomStringConvertible, CustomReflectable {
  /// `IOMMUFDContext: 5 objects, 1 reserved, 0 tombstones` and one line per
  /// table slot (`  1 IOAS users=2`, `  7 reserved VIOMMU`).
  public var description: String {
    var lines = [
      "IOMMUFDContext: \(liveObjectCount) objects, \(reservedIDs.count) reserved, \(tombstonedIDs.count) tombstones, \(mmapRegions.count) mmap regions"
    ]
    lines += objectTable.map { "  " + $0 }
    return lines.joined(separator: "\n")
  }

  /// The table by ID: `1 IOAS users=2`.
  public var objectTable: [String] {
    slots.keys.sorted().map { id in
      switch slots[id]! {
      case .live(let o): "\(id) \(o.type) users=\(o.users)"
      case .reserved(let o): "\(id) reserved \(o.type)"
      case .tombstone(let t): "\(id) tombstone (was \(t))"
      }
    }
  }

  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "objects": objectTable, "warnings": warnings, "mmapRegions": mmapRegions.count,
        "lockDiagnostics": lockDiagnostics.count,
      ], displayStyle: .class)
  }
}
