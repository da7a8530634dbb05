import CMDQVRegisters

/// One VCD variable: a register (or an event counter) under a scope.
public struct VCDSignal: Hashable, Sendable {
  /// The sub-scope under `cmdqv` (`VINTF1`, `VCMDQ2`, `SMMU`, `events`), or
  /// empty for the top scope.
  public var scope: String
  /// The variable's reference name within its scope (`CONFIG`, `irq_count`).
  public var name: String
  public var width: Int
  /// The value dumped by `$dumpvars` (the register's reset value; 0 for
  /// configuration-derived registers and counters).
  public var initial: UInt64
  /// The VCD identifier code.
  public var id: String
  /// `map|INSTANCE` for a register (`tegra241_cmdqv|VCMDQ2_CONS`), nil for a
  /// counter.
  public var key: String?
  /// The entity state changes name (`CMDQV`, `VINTF1`, `VCMDQ2`, `SMMU`).
  public var entity: String?
  /// The register description, for mapping state changes to fields.
  public var info: RegisterInfo?
}
