import CMDQVRegisters

/// One entry of `expect_commands`: only the keys written are compared.
public struct CommandExpectation: Sendable {
  public var op: CommandOpcode?
  public var sid: UInt32?
  public var vsid: UInt32?
  /// A literal VMID, or the name of a HWPT whose VMID is meant.
  public var vmid: VMIDReference?
  public var asid: UInt16?
  public var addr: UInt64?
  /// `VINTF1/LVCMDQ0`, `VINTF1/VCMDQ2/LVCMDQ0`, `VCMDQ2` or `SMMU_CMDQ` (case-insensitive).
  public var source: String?

  public enum VMIDReference: Sendable, Equatable {
    case value(UInt16)
    case hwpt(String)
  }

  public init() {}
}
