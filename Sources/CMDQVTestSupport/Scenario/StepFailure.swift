/// Why a step failed (internal; surfaces as ``ScenarioFailure``).
struct StepFailure: Error {
  var message: String
  init(_ message: String) { self.message = message }
}
