import CMDQVModel
import CMDQVRegisters
import Foundation
import Testing

/// Docs/Rules.md and the rule table cannot drift: the document's rule
/// sections are the table rendered (`RuleBook.markdown`). With
/// `CMDQV_UPDATE_DOCS=1` the test rewrites the sections instead.
@Suite struct RuleDocumentTests {
  static let path =
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path + "/Docs/Rules.md"
  static let begin = "<!-- BEGIN RULES: generated from RuleBook.rules; edit the table, not this text -->\n\n"
  static let end = "<!-- END RULES -->\n"

  @Test func documentMatchesTheRuleTable() throws {
    let doc = try String(contentsOfFile: Self.path, encoding: .utf8)
    let start = try #require(doc.range(of: Self.begin), "Docs/Rules.md lacks the BEGIN RULES marker")
    let stop = try #require(doc.range(of: Self.end, range: start.upperBound..<doc.endIndex), "no END RULES marker")
    let body = String(doc[start.upperBound..<stop.lowerBound])
    if ProcessInfo.processInfo.environment["CMDQV_UPDATE_DOCS"] == "1" {
      let updated = String(doc[..<start.upperBound]) + RuleBook.markdown + String(doc[stop.lowerBound...])
      try updated.write(toFile: Self.path, atomically: false, encoding: .utf8)
      return
    }
    #expect(body == RuleBook.markdown, "Docs/Rules.md differs from RuleBook.rules; run the test with CMDQV_UPDATE_DOCS=1")
  }

  @Test func everyRuleHasASectionWithItsSource() throws {
    guard ProcessInfo.processInfo.environment["CMDQV_UPDATE_DOCS"] != "1" else { return }
    let doc = try String(contentsOfFile: Self.path, encoding: .utf8)
    #expect(RuleBook.rules.count >= 25)
    for rule in RuleBook.rules {
      #expect(doc.contains("### \(rule.id.rawValue)\n"), "\(rule.id)")
      #expect(doc.contains("- **Source:** \(rule.source)\n"), "\(rule.id)")
    }
  }
}
