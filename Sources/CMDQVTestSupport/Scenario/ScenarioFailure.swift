import RegisterMapKit

/// The first failed expectation of a run: which step, where, and why.
public struct ScenarioFailure: Error, Sendable, CustomStringConvertible {
  /// 0-based step index.
  public var stepIndex: Int
  public var step: ScenarioStep
  public var message: String

  public init(stepIndex: Int, step: ScenarioStep, message: String) {
    self.stepIndex = stepIndex
    self.step = step
    self.message = message
  }

  /// `file:line:col: expectation failed: destroy q0: expected EBUSY, got success`.
  public var description: String { "\(step.mark): expectation failed: \(step.title): \(message)" }
}
