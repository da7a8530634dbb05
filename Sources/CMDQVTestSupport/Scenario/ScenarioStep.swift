import RegisterMapKit

/// One step of a scenario: the action and where it was written.
public struct ScenarioStep: Sendable {
  public var action: ScenarioAction
  /// The position of the action key (`- destroy:` → the `d`).
  public var mark: Mark
  /// A short title for messages, e.g. `destroy q0`.
  public var title: String

  public init(action: ScenarioAction, mark: Mark, title: String) {
    self.action = action
    self.mark = mark
    self.title = title
  }
}
