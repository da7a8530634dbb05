import CMDQVCLI
import Foundation
import Testing

/// Runs the shell commands the documentation shows, so the docs cannot drift
/// from what `cmdqv` does. In README.md and every Docs/*.md, blocks not marked
/// `<!-- illustrative … -->` are run:
/// - ```sh blocks: each `swift run cmdqv ARGS` line runs `cmdqv` in-process and
///   must exit 0 (or the status a trailing `# … (exit N)` comment names);
///   `swift build`/`swift test` are what CI runs; `swift run regmapgen` is
///   checked by `GenerationDriftTests`; other executables must be products.
/// - transcripts (blocks whose first line is `$ cmdqv …` or
///   `$ printf '…' | cmdqv …`): each command runs and its output must contain
///   the lines shown, consecutively; a line `…` skips any number of lines and
///   `…` inside a line matches any text.
/// Repository files in arguments are made absolute; other file arguments
/// (outputs such as `out.jsonl`) go to a scratch directory per block.
@Suite struct DocCommandTests {
  struct Block {
    var file: String
    var line: Int
    var language: String
    var illustrative: Bool
    var lines: [String]
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
      var previous = i - 1
      while previous >= 0 && lines[previous].trimmingCharacters(in: .whitespaces).isEmpty { previous -= 1 }
      let marker = previous >= 0 ? lines[previous].trimmingCharacters(in: .whitespaces) : ""
      var end = i + 1
      while end < lines.count && !lines[end].hasPrefix("```") { end += 1 }
      blocks.append(
        Block(
          file: file, line: i + 1, language: String(lines[i].dropFirst(3)).trimmingCharacters(in: .whitespaces),
          illustrative: marker.hasPrefix("<!-- illustrative") || marker.hasPrefix("<!-- file:")
            || marker.hasPrefix("<!-- checked-by:"),
          lines: Array(lines[(i + 1)..<min(end, lines.count)])))
      i = end + 1
    }
    return blocks
  }

  /// Splits a command line into words: whitespace-separated, with '…' and
  /// "…" quoting. Returns the words and the trailing `# comment`.
  static func shellWords(_ line: String) -> (words: [String], comment: String) {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var index = line.startIndex
    while index < line.endIndex {
      let c = line[index]
      if let q = quote {
        if c == q { quote = nil } else { current.append(c) }
      } else if c == "'" || c == "\"" {
        quote = c
        inWord = true
      } else if c == "#" && !inWord {
        return (words, String(line[line.index(after: index)...]))
      } else if c == " " || c == "\t" {
        if inWord { words.append(current) }
        current = ""
        inWord = false
      } else {
        current.append(c)
        inWord = true
      }
      index = line.index(after: index)
    }
    if inWord { words.append(current) }
    return (words, "")
  }

  static func placed(_ words: [String], scratch: String) -> [String] {
    words.map { word in
      if word.hasPrefix("-") || word.contains("*") || word.contains("?") { return word }
      if word.contains("/") && FileManager.default.fileExists(atPath: repositoryRoot + "/" + word) {
        return repositoryRoot + "/" + word
      }
      if [".jsonl", ".vcd", ".txt", ".json"].contains(where: { word.hasSuffix($0) }) { return scratch + "/" + word }
      return word
    }
  }

  /// Whether `expected` (a transcript's lines) appears in `actual`.
  static func mismatch(expected: [String], actual: [String]) -> String? {
    func trimmed(_ s: String) -> String {
      var s = s
      while s.last == " " { s.removeLast() }
      return s
    }
    func lineMatches(_ pattern: String, _ text: String) -> Bool {
      let pattern = trimmed(pattern)
      let text = trimmed(text)
      guard pattern.contains("…") else { return pattern == text }
      let pieces = pattern.components(separatedBy: "…")
      guard text.hasPrefix(pieces[0]), text.hasSuffix(pieces[pieces.count - 1]) else { return false }
      var rest = text[text.index(text.startIndex, offsetBy: pieces[0].count)...]
      for piece in pieces.dropFirst().dropLast() {
        guard let r = rest.range(of: piece) else { return false }
        rest = rest[r.upperBound...]
      }
      return rest.count >= pieces[pieces.count - 1].count
    }
    var runs: [[String]] = [[]]
    for line in expected {
      if line.trimmingCharacters(in: .whitespaces) == "…" { runs.append([]) } else { runs[runs.count - 1].append(line) }
    }
    var position = 0
    for (n, run) in runs.enumerated() where !run.isEmpty {
      let anchored = n == 0
      var found: Int?
      var start = position
      while start + run.count <= actual.count {
        if run.indices.allSatisfy({ lineMatches(run[$0], actual[start + $0]) }) {
          found = start
          break
        }
        if anchored { break }
        start += 1
      }
      guard let at = found else {
        let best = run.indices.first { k in !actual.indices.contains(position + k) || !lineMatches(run[k], actual[position + k]) } ?? 0
        let shown = actual.count > 40 ? ["… (\(actual.count - 40) lines)"] + actual.suffix(40) : actual
        return "expected line not found in order: \(run[best])\nactual output:\n" + shown.joined(separator: "\n")
      }
      position = at + run.count
    }
    return nil
  }

  static func unescapePrintf(_ s: String) -> String {
    s.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\t", with: "\t")
  }

  static func packageDeclaresExecutable(_ name: String) throws -> Bool {
    try String(contentsOfFile: repositoryRoot + "/Package.swift", encoding: .utf8)
      .contains(".executable(name: \"\(name)\"")
  }

  @Test func shellBlocksRun() throws {
    var problems: [String] = []
    var ran = 0
    for document in try Self.documents() {
      for block in try Self.blocks(in: document) where !block.illustrative && block.language == "sh" {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for (k, line) in block.lines.enumerated() {
          let at = "\(block.file):\(block.line + 1 + k)"
          let (words, comment) = Self.shellWords(line)
          guard !words.isEmpty else { continue }
          var expectedStatus: Int32 = 0
          if let r = comment.range(of: #"\(exit (\d+)\)"#, options: .regularExpression) {
            expectedStatus = Int32(comment[r].dropFirst(6).dropLast()) ?? 0
          }
          guard words.first == "swift", words.count >= 2 else {
            problems.append("\(at): no test runs '\(line)'")
            continue
          }
          if words[1] == "build" || words[1] == "test" { continue }  // what .ci/run does
          guard words[1] == "run" else {
            problems.append("\(at): no test runs '\(line)'")
            continue
          }
          var rest = Array(words.dropFirst(2))
          while rest.first == "-c" { rest.removeFirst(min(2, rest.count)) }
          guard let product = rest.first else {
            problems.append("\(at): 'swift run' without a product")
            continue
          }
          switch product {
          case "cmdqv":
            let result = cmdqv(arguments: Self.placed(Array(rest.dropFirst()), scratch: scratch))
            ran += 1
            if result.status != expectedStatus {
              problems.append("\(at): '\(line)' exited \(result.status), expected \(expectedStatus); stderr: \(result.stderr)")
            }
          case "regmapgen":
            continue  // GenerationDriftTests regenerates into a scratch copy and compares
          default:
            if try !Self.packageDeclaresExecutable(product) {
              problems.append("\(at): \(product) is not an executable product of Package.swift")
            }
          }
        }
      }
    }
    #expect(ran > 0)
    if !problems.isEmpty { Issue.record(Comment(rawValue: problems.joined(separator: "\n"))) }
  }

  @Test func transcriptsMatch() throws {
    var problems: [String] = []
    var ran = 0
    for document in try Self.documents() {
      for block in try Self.blocks(in: document) where !block.illustrative && block.language != "sh" {
        guard block.lines.first(where: { !$0.isEmpty })?.hasPrefix("$ ") == true else { continue }
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var k = 0
        while k < block.lines.count {
          guard block.lines[k].hasPrefix("$ ") else { k += 1; continue }
          let at = "\(block.file):\(block.line + 1 + k)"
          let command = String(block.lines[k].dropFirst(2))
          var end = k + 1
          while end < block.lines.count && !block.lines[end].hasPrefix("$ ") { end += 1 }
          let expected = Array(block.lines[(k + 1)..<end])
          k = end
          var stdin = ""
          var words = Self.shellWords(command).words
          if let pipe = words.firstIndex(of: "|") {
            guard words.first == "printf", pipe == 2 else {
              problems.append("\(at): cannot run '\(command)'")
              continue
            }
            stdin = Self.unescapePrintf(words[1])
            words = Array(words[(pipe + 1)...])
          }
          guard words.first == "cmdqv" else {
            problems.append("\(at): cannot run '\(command)'")
            continue
          }
          let result = cmdqv(arguments: Self.placed(Array(words.dropFirst()), scratch: scratch), stdin: stdin)
          ran += 1
          let actual = (result.stdout + result.stderr).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
          if let report = Self.mismatch(expected: expected, actual: actual) {
            problems.append("\(at): '\(command)': \(report)")
          }
        }
      }
    }
    #expect(ran > 0)
    if !problems.isEmpty { Issue.record(Comment(rawValue: problems.joined(separator: "\n\n"))) }
  }

  /// The transcript matcher can fail.
  @Test func matcherRejectsDrift() {
    let actual = ["a", "b 1005 c", "d"]
    #expect(Self.mismatch(expected: ["a", "…", "d"], actual: actual) == nil)
    #expect(Self.mismatch(expected: ["a", "b … c"], actual: actual) == nil)
    #expect(Self.mismatch(expected: ["a", "b 1000 c"], actual: actual) != nil)
    #expect(Self.mismatch(expected: ["b 1005 c"], actual: actual) != nil)  // the first run is anchored
    #expect(Self.shellWords("cmdqv regs 'VINTF1_SID*'   # the map (exit 1)").words == ["cmdqv", "regs", "VINTF1_SID*"])
  }
}
