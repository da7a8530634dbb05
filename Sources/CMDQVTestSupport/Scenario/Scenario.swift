import CMDQVModel
import RegisterMapKit

/// A parsed, validated scenario file (see Docs/Scenarios.md). Every name
/// reference has been resolved and every value range-checked, so running it
/// cannot hit a Swift precondition.
public struct Scenario: Sendable {
  public var name: String
  public var description: String
  /// The file the scenario came from, as given to the parser.
  public var file: String
  public var configuration: CMDQVConfiguration
  public var steps: [ScenarioStep]

  public init(name: String, description: String, file: String, configuration: CMDQVConfiguration, steps: [ScenarioStep]) {
    self.name = name
    self.description = description
    self.file = file
    self.configuration = configuration
    self.steps = steps
  }
}
