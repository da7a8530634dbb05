/// A command error or a fault that happened during a scenario run, with the
/// step it happened in and whether the scenario expected it.
public struct ScenarioIncident: Sendable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    case commandError = "command error"
    case ruleViolation = "rule violation"
    case accessFault = "access fault"
  }

  public var kind: Kind
  /// The model's description (`VINTF1/VCMDQ3/LVCMDQ1 [0] CERROR_ILL_ACCESS: …`).
  public var detail: String
  /// The step it happened in, 1-based (0: before the first step).
  public var stepNumber: Int
  /// `file:line` of that step.
  public var source: String
  /// Whether a step of the scenario expected it: a `guest_submit` with
  /// `expect_error`, a `host_issue`/`invalidate` expecting an errno, an
  /// injected command error or fetch abort, an `expect_fault` that counted it, or
  /// an `expect_violation` that claimed it.
  public var expected: Bool

  /// `step 12 (file:line): rule violation: …`.
  public var description: String {
    let what = detail.hasPrefix(kind.rawValue) ? detail : "\(kind.rawValue): \(detail)"
    return "step \(stepNumber)" + (source.isEmpty ? "" : " (\(source))") + ": " + what
  }
}
