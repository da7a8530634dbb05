import Foundation
import Testing

/// Every fenced code block in README.md and Docs/*.md is executed or checked
/// by a test, or marked as illustrative. A block is classified by the HTML
/// comment on the last non-blank line before its opening fence:
/// - `<!-- file: PATH -->`: the block is the whole file PATH (repository
///   relative), byte for byte; the file is compiled and run (the example
///   harness package, or a test);
/// - `<!-- checked-by: NAME -->`: a test function or suite NAME under Tests/
///   checks the block;
/// - `<!-- illustrative -->` (optionally `<!-- illustrative: why -->`): not
///   executed (a shape, an excerpt, machine-dependent figures);
/// - no marker: a `sh` block or a transcript (first line `$ cmdqv …`), which
///   `DocCommandTests` (CMDQVCLITests) runs.
@Suite struct DocBlockTests {
  struct Block {
    var file: String
    var line: Int
    var language: String
    var marker: String?
    var lines: [String]
    var content: String { lines.map { $0 + "\n" }.joined() }
  }

  static func documents() throws -> [String] {
    let docs = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/Docs")
      .filter { $0.hasSuffix(".md") }.sorted().map { "Docs/" + $0 }
    return ["README.md"] + docs
  }

  static func blocks(in file: String) throws -> [Block] {
    let lines = try String(contentsOfFile: repositoryRoot + "/" + file, encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var blocks: [Block] = []
    var i = 0
    while i < lines.count {
      guard lines[i].hasPrefix("```") else { i += 1; continue }
      let language = String(lines[i].dropFirst(3)).trimmingCharacters(in: .whitespaces)
      var previous = i - 1
      while previous >= 0 && lines[previous].trimmingCharacters(in: .whitespaces).isEmpty { previous -= 1 }
      var marker: String?
      if previous >= 0 {
        let text = lines[previous].trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("<!--") && text.hasSuffix("-->") {
          marker = String(text.dropFirst(4).dropLast(3)).trimmingCharacters(in: .whitespaces)
        }
      }
      var end = i + 1
      while end < lines.count && !lines[end].hasPrefix("```") { end += 1 }
      blocks.append(Block(file: file, line: i + 1, language: language, marker: marker, lines: Array(lines[(i + 1)..<min(end, lines.count)])))
      i = end + 1
    }
    return blocks
  }

  /// Whether some test under Tests/ defines `name` as a function or a type.
  static func testExists(_ name: String) throws -> Bool {
    let tests = repositoryRoot + "/Tests"
    guard let walker = FileManager.default.enumerator(atPath: tests) else { return false }
    while let relative = walker.nextObject() as? String {
      guard relative.hasSuffix(".swift") else { continue }
      let text = try String(contentsOfFile: tests + "/" + relative, encoding: .utf8)
      if text.contains("func \(name)(") || text.contains("struct \(name) ") { return true }
    }
    return false
  }

  @Test func everyBlockIsCheckedOrMarkedIllustrative() throws {
    var problems: [String] = []
    for document in try Self.documents() {
      for block in try Self.blocks(in: document) {
        let at = "\(block.file):\(block.line)"
        if let marker = block.marker {
          if marker == "illustrative" || marker.hasPrefix("illustrative:") { continue }
          if marker.hasPrefix("file:") {
            let path = marker.dropFirst(5).trimmingCharacters(in: .whitespaces)
            guard let file = try? String(contentsOfFile: repositoryRoot + "/" + path, encoding: .utf8) else {
              problems.append("\(at): marked file: \(path), which does not exist")
              continue
            }
            if file != block.content {
              problems.append("\(at): differs from \(path) (the block must be the whole file, byte for byte)")
            }
            continue
          }
          if marker.hasPrefix("checked-by:") {
            let name = marker.dropFirst(11).trimmingCharacters(in: .whitespaces)
            if try !Self.testExists(name) { problems.append("\(at): checked-by \(name), but no test has that name") }
            continue
          }
        }
        if block.language == "sh" { continue }
        if block.lines.first(where: { !$0.isEmpty })?.hasPrefix("$ ") == true { continue }
        problems.append(
          "\(at): a ```\(block.language) block that no test runs; check it (<!-- file: … -->, <!-- checked-by: … -->), "
            + "make it a transcript ($ cmdqv …) or mark it <!-- illustrative -->")
      }
    }
    if !problems.isEmpty { Issue.record(Comment(rawValue: "\(problems.count) blocks:\n" + problems.joined(separator: "\n"))) }
  }

  /// The example harness package's test files are compiled and run by this
  /// suite too (DocExamples/ is a symlink to them, so there is one copy), and
  /// TestSupport.md shows each of them.
  @Test func exampleHarnessFilesRunHereAndAreShown() throws {
    let example = repositoryRoot + "/Docs/Examples/Harness/Tests/HarnessTests"
    let link = repositoryRoot + "/Tests/CMDQVTestSupportTests/DocExamples"
    let target = try FileManager.default.destinationOfSymbolicLink(atPath: link)
    #expect(target == "../../Docs/Examples/Harness/Tests/HarnessTests")
    let names = try FileManager.default.contentsOfDirectory(atPath: example).filter { $0.hasSuffix(".swift") }.sorted()
    #expect(names.count == 3)
    let shown = try Self.blocks(in: "Docs/TestSupport.md").compactMap(\.marker)
    for name in names {
      #expect(shown.contains("file: Docs/Examples/Harness/Tests/HarnessTests/\(name)"), "TestSupport.md does not show \(name)")
    }
    #expect(shown.contains("file: Docs/Examples/Harness/Package.swift"))
  }

  /// The classifier sees markers and languages.
  @Test func classifierReadsMarkers() throws {
    let blocks = try Self.blocks(in: "Docs/TestSupport.md")
    #expect(blocks.first?.marker == "file: Docs/Examples/Harness/Package.swift")
    #expect(blocks.first?.language == "swift")
    #expect(blocks.contains { $0.marker == "illustrative" })
  }
}
