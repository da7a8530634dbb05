/// The start of one step of a scenario (or any harness script), so every
/// later record of a trace maps back to the step that caused it.
public struct StepMarker: Hashable, Sendable {
  /// The step's number, 1-based (as `cmdqv` prints `[3/12]`).
  public var number: Int
  /// The step's short title (`destroy q0`).
  public var action: String
  /// Where the step was written: `file:line` (empty when it has no source).
  public var source: String

  public init(number: Int, action: String, source: String) {
    self.number = number
    self.action = action
    self.source = source
  }
}

extension StepMarker: CustomStringConvertible {
  public var description: String { "step \(number): \(action)" + (source.isEmpty ? "" : " (\(source))") }
}
