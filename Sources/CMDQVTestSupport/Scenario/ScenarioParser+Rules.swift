import CMDQVModel
import CMDQVRegisters
import RegisterMapKit

extension ScenarioParser {
  /// `rules: record` (every rule) or a mapping of `all` and rule IDs to
  /// `record` / `ignore`:
  ///
  /// ```yaml
  /// rules:
  ///   all: record
  ///   LVCMDQ-MAP-ASCENDING: ignore
  /// ```
  static func parseRulePolicies(_ node: YAMLNode, sink: DiagnosticSink) -> RulePolicies {
    var policies = RulePolicies()
    if case .scalar(let s) = node {
      if let p = policy(s, sink: sink) { policies.all = p }
      return policies
    }
    let f = ScenarioFields(node, context: "device rules", allowed: ["all"] + RuleID.allCases.map(\.rawValue), sink: sink)
    if let s = f.scalar("all", required: false), let p = policy(s, sink: sink) { policies.all = p }
    for rule in RuleID.allCases {
      if let s = f.scalar(rule.rawValue, required: false), let p = policy(s, sink: sink) { policies[rule] = p }
    }
    return policies
  }

  static func policy(_ s: YAMLScalar, sink: DiagnosticSink) -> RulePolicy? {
    switch s.text {
    case "record": return .record
    case "ignore": return .ignore
    case "trap":
      // A trap stops the process: never from a scenario, which must not crash.
      sink.add(
        "rule policy 'trap' would stop the process at the offending access; use it from a Swift harness under a debugger, not a scenario (record or ignore)",
        at: s.mark)
      return nil
    default:
      sink.add("unknown rule policy '\(s.text)'; expected record or ignore", at: s.mark)
      return nil
    }
  }
}
