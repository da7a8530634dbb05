import CMDQVRegisters

/// One VCD variable: a register, a logical-queue alias of one, or an event
/// signal, under a hardware scope (`cmdqv.vintf1.lvcmdq0`).
public struct VCDSignal: Hashable, Sendable {
  /// The scope path under `cmdqv` (`["vintf1", "lvcmdq0"]`, `["events"]`),
  /// empty for the top scope.
  public var scope: [String]
  /// The variable's name within its scope (`cons`, `cmd_err`).
  public var name: String
  public var width: Int
  /// The value dumped by `$dumpvars` (the register's reset value; 0 for
  /// configuration-derived registers and event signals); `nil` dumps `x`
  /// (a logical queue no VCMDQ backs).
  public var initial: UInt64?
  /// The VCD identifier code.
  public var id: String
  /// The register instance shown (`VCMDQ2_CONS`), nil for aliases and events.
  public var instance: String?
  /// The register's map and absolute offset (nil for aliases and events).
  public var map: String?
  public var offset: Int?
  /// The entity state changes name (`CMDQV`, `VINTF1`, `VCMDQ2`, `SMMU`).
  public var entity: String?
  /// The register description, for mapping state changes to fields.
  public var info: RegisterInfo?

  /// `cmdqv.vintf1.lvcmdq0.cons`: the full hierarchical name.
  public var path: String { (["cmdqv"] + scope + [name]).joined(separator: ".") }

  /// The name as GTKWave lists it (`cmdqv.vcmdq2.cons[31:0]`).
  public var gtkwaveName: String { width > 1 ? "\(path)[\(width - 1):0]" : path }
}
