import CMDQVTestSupport
import Foundation
import Testing

@Suite struct ScenarioDocsTests {
  /// The complete example in Docs/Scenarios.md parses and passes.
  @Test func documentedExampleRuns() throws {
    let doc = try String(contentsOfFile: repositoryRoot + "/Docs/Scenarios.md", encoding: .utf8)
    let start = try #require(doc.range(of: "### A complete example\n\n```yaml\n"))
    let end = try #require(doc.range(of: "```\n", range: start.upperBound..<doc.endIndex))
    let text = String(doc[start.upperBound..<end.lowerBound])
    let report = ScenarioExecution.run(try ScenarioParser.parse(text: text, file: "Scenarios.md"))
    #expect(report.passed, "\(report.summary)")
  }

  /// Every action the parser knows is documented.
  @Test func everyActionIsDocumented() throws {
    let doc = try String(contentsOfFile: repositoryRoot + "/Docs/Scenarios.md", encoding: .utf8)
    for action in ["boot", "note", "ioas", "map", "unmap", "bind", "hwpt", "viommu", "mmap", "munmap", "vdevice", "veventq",
                   "hw_queue", "guest_enable", "guest_submit", "guest_ack", "host_issue", "invalidate", "destroy", "write",
                   "step", "expect_register", "expect_fault", "expect_violation", "expect_events", "expect_commands", "inject", "close"] {
      #expect(doc.contains("| `\(action)` |"), "\(action)")
    }
  }
}
