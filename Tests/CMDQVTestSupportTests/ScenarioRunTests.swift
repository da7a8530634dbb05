import CMDQVTestSupport
import Foundation
import RegisterMapKit
import Testing

/// The repository root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().path

func shippedScenario(_ name: String) throws -> Scenario {
  let path = "Docs/Scenarios/\(name).yaml"
  let text = try String(contentsOfFile: repositoryRoot + "/" + path, encoding: .utf8)
  return try ScenarioParser.parse(text: text, file: path)
}

@Suite struct ScenarioRunTests {
  @Test(arguments: ["vmm-lifecycle", "host-errors", "negative-ioctls", "rule-violations"])
  func shippedScenarioPasses(_ name: String) throws {
    let report = ScenarioExecution.run(try shippedScenario(name))
    #expect(report.passed, "\(report.summary)")
  }
}
