import CMDQVRegisters

/// One trace event as a flat record: the unit of every trace format.
///
/// Every record is keyed by `seq` (the device's sequence number) and `cycle`
/// (model cycles, never host time). Which of the optional properties are set
/// depends on `kind`; `Docs/Tracing.md` lists them per kind. Encoding and
/// decoding are hand-written (see `TraceRecord+JSON.swift`) so the key order is
/// fixed and 64-bit values survive readers that hold numbers as doubles.
public struct TraceRecord: Hashable, Sendable {
  public var seq: UInt64
  public var cycle: UInt64
  public var kind: TraceKind

  // MMIO (mmio_r, mmio_w) and access faults.
  /// `host`, `guest:N` (the guest window of VINTF N) or `hw`.
  public var initiator: String?
  /// `tegra241_cmdqv` or `smmuv3`.
  public var map: String?
  /// `config`, `vcmdq_page0`, `vcmdq_page1`, `vintf_page0`, `vintf_page1`,
  /// `smmu` or `unmapped`.
  public var aperture: String?
  public var offset: Int?
  /// Access width in bits.
  public var width: Int?
  /// The value read or written (the offending value for a violation).
  public var value: UInt64?
  /// Whole-register value before / after a write that landed; the old and new
  /// value of a state change.
  public var old: UInt64?
  public var new: UInt64?
  /// The register instance, with `[63:32]` for an upper-half access.
  public var reg: String?
  /// The global VCMDQ a logical-page access reached, or a command's queue.
  public var vcmdq: Int?
  /// Changed fields of a write, in the register's bit order.
  public var fields: [TraceFieldChange]?
  /// `false` when the device ignored the access.
  public var accepted: Bool?

  // Commands (cmd, cmd_err).
  /// `VINTF1/VCMDQ2/LVCMDQ0` or `SMMU_CMDQ`.
  public var queue: String?
  public var vintf: Int?
  public var lvcmdq: Int?
  /// Queue index (CONS without wrap) of the command.
  public var cons: Int?
  /// Opcode mnemonic (`ATC_INV`), `OP_0x7F` for an unknown opcode.
  public var op: String?
  /// The command's two doublewords.
  public var dwords: [UInt64]?
  public var sid: Int?
  /// The StreamID the guest wrote when the CMDQV replaced it.
  public var vsid: Int?
  public var vmid: Int?
  public var asid: Int?
  public var addr: UInt64?
  /// CERROR code (cmd_err).
  public var code: Int?
  /// `ILL`, `ABT`, `ATC_INV_SYNC`, `ILL_ACCESS` (cmd_err).
  public var codeName: String?
  /// Why: the rule a command broke (cmd_err) or the access-fault reason.
  public var reason: String?

  // State changes.
  /// `CMDQV`, `VINTF1`, `VCMDQ3`, `SMMU_CMDQ`.
  public var entity: String?
  public var property: String?

  // Faults.
  /// `r` or `w` (fault).
  public var direction: String?
  /// What happened (violation).
  public var desc: String?
  /// The rule ID (violation), e.g. `LVCMDQ-MAP-ASCENDING`.
  public var rule: String?
  /// Where the rule comes from (violation).
  public var source: String?

  // Interrupts.
  public var line: String?
  public var count: Int?
  public var cause: String?

  /// Text of an injection or a note.
  public var text: String?

  // Scenario steps.
  /// The step's number, 1-based (step).
  public var step: Int?
  /// The step's title, `destroy q0` (step).
  public var action: String?
  /// Where the step was written, `file:line` (step).
  public var src: String?

  public init(seq: UInt64, cycle: UInt64, kind: TraceKind) {
    self.seq = seq
    self.cycle = cycle
    self.kind = kind
  }
}
