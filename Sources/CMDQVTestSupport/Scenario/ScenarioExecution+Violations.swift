import CMDQVModel
import CMDQVRegisters

extension ScenarioExecution {
  /// Collects the device's new rule violations. Unless the next step is an
  /// `expect_violation` (which may claim them), any unclaimed violation fails
  /// the step that caused it.
  func checkUnexpectedViolations() throws(StepFailure) {
    collectViolations()
    guard !unclaimedViolations.isEmpty else { return }
    switch currentStep?.action {
    case .expectViolation, .expectFault(kind: .violation, count: _): return
    default: break
    }
    let list = unclaimedViolations.map { "\n    \($0)" }.joined()
    unclaimedViolations.removeAll()
    throw StepFailure(
      "unexpected rule violation\(list)\n  (add 'expect_violation: RULE-ID' after this step if the misstep is intended)")
  }

  func collectViolations() {
    let all = system.device.violations
    if violationsCollected > all.count { violationsCollected = 0 }  // the log was cleared
    unclaimedViolations.append(contentsOf: all[violationsCollected...])
    violationsCollected = all.count
  }

  /// `expect_violation`: claims the unclaimed violations of `rule`.
  func claimViolations(_ rule: RuleID, count: Int?) throws(StepFailure) -> String {
    collectViolations()
    let claimed = unclaimedViolations.filter { $0.rule == rule }
    guard !claimed.isEmpty else {
      let others = unclaimedViolations.map { "\n    \($0)" }.joined()
      throw StepFailure("expected a \(rule.rawValue) violation, got none" + (others.isEmpty ? "" : "; unclaimed:" + others))
    }
    if let count, claimed.count != count {
      throw StepFailure(
        "expected \(count) \(rule.rawValue) violation(s), got \(claimed.count)" + claimed.map { "\n    \($0)" }.joined())
    }
    unclaimedViolations.removeAll { $0.rule == rule }
    return claimed.map { "\($0)" }.joined(separator: "\n    ")
  }
}
