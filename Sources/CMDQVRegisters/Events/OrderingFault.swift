/// A break of the CMDQV rule "LVCMDQs are mapped in ascending order and
/// unmapped in descending order" (tegra241-cmdqv.c: "HW requires to map
/// LVCMDQs in ascending order" / "… unmap LVCMDQs in descending order").
public struct OrderingFault: Hashable, Sendable {
  public enum Kind: String, Hashable, Sendable {
    /// LVCMDQ n was mapped (CMDQ_ALLOC.ALLOC 0→1) while n-1 was unmapped.
    case mapAboveUnmapped = "map-above-unmapped"
    /// LVCMDQ n-1 was unmapped (ALLOC 1→0) while n was still mapped.
    case unmapBelowMapped = "unmap-below-mapped"
  }

  public var kind: Kind
  public var vintf: Int
  /// The LVCMDQ the offending write mapped or unmapped.
  public var lvcmdq: Int
  /// The neighbour the rule is about (n-1 for a map, n+1 for an unmap).
  public var neighbour: Int
  /// The global VCMDQ whose CMDQ_ALLOC was written.
  public var vcmdq: Int
  /// The offending access.
  public var offset: Int
  public var value: UInt64
  public var initiator: Initiator

  public init(
    kind: Kind, vintf: Int, lvcmdq: Int, neighbour: Int, vcmdq: Int, offset: Int, value: UInt64,
    initiator: Initiator
  ) {
    self.kind = kind
    self.vintf = vintf
    self.lvcmdq = lvcmdq
    self.neighbour = neighbour
    self.vcmdq = vcmdq
    self.offset = offset
    self.value = value
    self.initiator = initiator
  }
}

extension OrderingFault: CustomStringConvertible {
  public var description: String {
    let rule =
      kind == .mapAboveUnmapped
      ? "mapped LVCMDQ\(lvcmdq) while LVCMDQ\(neighbour) is unmapped (HW requires ascending map order)"
      : "unmapped LVCMDQ\(lvcmdq) while LVCMDQ\(neighbour) is still mapped (HW requires descending unmap order)"
    return "ordering fault: VINTF\(vintf): \(rule); \(initiator) wrote 0x\(String(value, radix: 16)) to CMDQ_ALLOC\(vcmdq) at 0x\(String(offset, radix: 16))"
  }
}
