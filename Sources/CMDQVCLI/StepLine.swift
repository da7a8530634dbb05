import CMDQVTestSupport

/// The one line `cmdqv run` and `cmdqv step` print per step:
/// `[3/34] file:line:col title: what came back`.
enum StepLine {
  static func text(_ result: StepResult, total: Int) -> String {
    switch result {
    case .passed(let index, let step, let detail): "[\(index + 1)/\(total)] \(step.mark) \(step.title): \(detail)"
    case .failed(let failure): "[\(failure.stepIndex + 1)/\(total)] \(failure)"
    case .finished: "scenario finished (\(total) steps)"
    }
  }
}
