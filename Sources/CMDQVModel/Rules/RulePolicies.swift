import CMDQVRegisters

/// A policy for every rule: one for all rules plus per-rule overrides.
///
/// ```swift
/// var policies = RulePolicies(.record)
/// policies[.lvcmdqMapAscending] = .trap
/// ```
public struct RulePolicies: Hashable, Sendable {
  /// The policy of every rule without an override.
  public var all: RulePolicy
  /// Per-rule overrides.
  public var overrides: [RuleID: RulePolicy]

  public init(_ all: RulePolicy = .record, overrides: [RuleID: RulePolicy] = [:]) {
    self.all = all
    self.overrides = overrides
  }

  /// The policy of `rule`; setting it adds an override.
  public subscript(rule: RuleID) -> RulePolicy {
    get { overrides[rule] ?? all }
    set { overrides[rule] = newValue }
  }

  /// Whether every rule is ignored (the device then skips the checks).
  var ignoresEverything: Bool { RuleID.allCases.allSatisfy { self[$0] == .ignore } }
}
