/// A break of one programming rule of the hardware (see `RuleBook` in
/// `CMDQVModel` and Docs/Rules.md): which rule, what the driver did, which
/// access did it, and when.
public struct RuleViolation: Hashable, Sendable {
  /// The access that broke the rule.
  public enum Access: Hashable, Sendable {
    /// An MMIO write (`offset` in the named map; `register` as the trace names it).
    case mmioWrite(map: String, offset: Int, width: Int, value: UInt64, register: String?)
    /// A software write to physical memory (`length` bytes at `address`).
    case memoryWrite(address: UInt64, length: Int)
  }

  public var rule: RuleID
  /// What happened, in the datasheet's and kernel's words
  /// (`VINTF1: mapped LVCMDQ1 while LVCMDQ0 is unmapped`).
  public var detail: String
  /// Where the rule comes from (kernel/QEMU file, function, version).
  public var source: String
  public var access: Access
  /// Who made the access; `nil` for a memory write (memory carries no initiator).
  public var initiator: Initiator?
  /// The model cycle of the access.
  public var cycle: UInt64
  /// The sequence number of the event reporting it (0 when nothing observes the device).
  public var sequence: UInt64
  /// Every register the rule looked at, by instance name (`CMDQV_CMDQ_ALLOC3`).
  public var registers: [String]

  public init(
    rule: RuleID, detail: String, source: String, access: Access, initiator: Initiator?, cycle: UInt64,
    sequence: UInt64 = 0, registers: [String] = []
  ) {
    self.rule = rule
    self.detail = detail
    self.source = source
    self.access = access
    self.initiator = initiator
    self.cycle = cycle
    self.sequence = sequence
    self.registers = registers
  }

  /// The offending access in words: `host wrote 0x8003 to CMDQV_CMDQ_ALLOC3 (0x20c)`.
  public var accessDescription: String {
    switch access {
    case .mmioWrite(_, let offset, _, let value, let register):
      let who = initiator.map { "\($0)" } ?? "software"
      return "\(who) wrote 0x\(String(value, radix: 16)) to \(register ?? "offset") (0x\(String(offset, radix: 16)))"
    case .memoryWrite(let address, let length):
      return "software wrote \(length) bytes at PA 0x\(String(address, radix: 16))"
    }
  }
}

extension RuleViolation: CustomStringConvertible {
  /// `LVCMDQ-MAP-ASCENDING at cycle 61: VINTF1: …; host wrote 0x8003 to CMDQV_CMDQ_ALLOC3 (0x20c) [source]`.
  public var description: String {
    "\(rule.rawValue) at cycle \(cycle): \(detail); \(accessDescription) [\(source)]"
  }
}
