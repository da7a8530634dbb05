import CMDQVRegisters

/// One programming rule of the hardware: what software must (not) do, where
/// the rule comes from, and what the model watches to decide it.
public struct Rule: Hashable, Sendable {
  public var id: RuleID
  public var family: RuleFamily
  /// The rule in one line.
  public var statement: String
  /// Kernel or QEMU file, function and version the rule is read from.
  public var source: String
  /// What the model observes to decide it (which access, which state).
  public var observes: String
  /// A realistic misstep that breaks it.
  public var example: String
}
