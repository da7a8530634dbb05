import CMDQVTrace
import Foundation
import Testing

/// The JSON Lines examples in Docs/Tracing.md are records the reader accepts
/// and the writer writes back byte for byte.
@Suite struct TracingDocTests {
  @Test func jsonExamplesRoundTrip() throws {
    let path =
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path + "/Docs/Tracing.md"
    let doc = try String(contentsOfFile: path, encoding: .utf8)
    let start = try #require(doc.range(of: "Example:\n\n```json\n"))
    let end = try #require(doc.range(of: "```\n", range: start.upperBound..<doc.endIndex))
    let lines = doc[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
    let records = try JSONLinesReader.read(string: lines.joined(separator: "\n") + "\n")
    #expect(records.map(\.jsonLine) == lines)
    #expect(records.contains { $0.kind == .violation && $0.rule == "LVCMDQ-MAP-ASCENDING" })
  }
}
