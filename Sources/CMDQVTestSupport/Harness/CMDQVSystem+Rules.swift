import CMDQVModel
import CMDQVRegisters
import Testing

extension CMDQVSystem {
  /// Checks that the device recorded no rule violation; a failure lists
  /// every violation (rule, what happened, the access, the source) at the
  /// caller's line.
  @discardableResult
  public func expectNoViolations(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    let violations = device.violations
    guard !violations.isEmpty else { return true }
    Issue.record(
      Comment(rawValue: "unexpected rule violation(s):\n" + violations.map { "  \($0)" }.joined(separator: "\n")),
      sourceLocation: sourceLocation)
    return false
  }

  /// Checks that `rule` was violated and no other rule was, then forgets the
  /// recorded violations (so the next check starts clean). Returns the
  /// violations of `rule`, for checks of the offending access.
  @discardableResult
  public func expectViolation(
    _ rule: RuleID, count: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) -> [RuleViolation] {
    let violations = device.violations
    let matching = violations.filter { $0.rule == rule }
    let others = violations.filter { $0.rule != rule }
    defer { device.clearFaults() }
    if matching.isEmpty {
      Issue.record(
        Comment(
          rawValue: "expected a \(rule.rawValue) violation, got "
            + (violations.isEmpty ? "none" : "only:\n" + violations.map { "  \($0)" }.joined(separator: "\n"))),
        sourceLocation: sourceLocation)
      return []
    }
    if let count, matching.count != count {
      Issue.record(
        Comment(
          rawValue: "expected \(count) \(rule.rawValue) violation(s), got \(matching.count):\n"
            + matching.map { "  \($0)" }.joined(separator: "\n")),
        sourceLocation: sourceLocation)
    }
    if !others.isEmpty {
      Issue.record(
        Comment(
          rawValue: "expected only \(rule.rawValue), but other rules fired too:\n"
            + others.map { "  \($0)" }.joined(separator: "\n")),
        sourceLocation: sourceLocation)
    }
    return matching
  }
}
