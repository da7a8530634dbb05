import CMDQVModel
import CMDQVRegisters
import RegisterMapKit

extension StepBuilder {
  /// `expect_violation: RULE-ID` or `expect_violation: {rule: RULE-ID, count: N}`.
  mutating func parseExpectViolation(_ node: YAMLNode) -> (ScenarioAction, String)? {
    let ruleScalar: YAMLScalar?
    var count: Int?
    if case .scalar(let s) = node {
      ruleScalar = s
    } else {
      let f = fields(node, "expect_violation", ["rule", "count"])
      ruleScalar = f.scalar("rule", required: true)
      count = f.int("count", in: 1...1_000_000_000)
    }
    guard let ruleScalar else { return nil }
    guard let rule = Self.rule(named: ruleScalar, sink: sink) else { return nil }
    return (.expectViolation(rule: rule, count: count), "expect_violation \(rule.rawValue)")
  }

  /// The rule a scalar names, or a diagnostic that lists the closest IDs.
  static func rule(named s: YAMLScalar, sink: DiagnosticSink) -> RuleID? {
    if let rule = RuleID(rawValue: s.text.uppercased()) { return rule }
    sink.add("unknown rule '\(s.text)'; rules are listed in Docs/Rules.md (e.g. \(RuleID.lvcmdqMapAscending.rawValue))", at: s.mark)
    return nil
  }
}
