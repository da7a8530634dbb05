/// What ``ScenarioExecution/executeNextStep()`` did.
public enum StepResult: Sendable {
  /// The step ran and its expectation (if any) held; `detail` says what it did.
  case passed(index: Int, step: ScenarioStep, detail: String)
  /// The step's expectation failed; the execution is finished.
  case failed(ScenarioFailure)
  /// There was nothing left to run.
  case finished
}
