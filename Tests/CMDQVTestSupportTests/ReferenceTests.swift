import Foundation
import Testing

/// The repository is self-contained: `Sources/`, `Docs/` and `README.md` cite
/// only files in the repository or public upstream sources (kernel and QEMU
/// files, functions and versions; see Docs/Sources.md), never private notes.
@Suite struct ReferenceTests {
  /// Names of notes that are not in the repository, and the shorthand that
  /// pointed into them. The names are split so that this file does not cite
  /// them itself (a plain grep over the repository finds none).
  static let denied: [(pattern: String, why: String)] = [
    ("kernel" + "-facts", "a private note; cite the kernel file, function and version"),
    ("emulator" + "-lessons", "a private note; cite the QEMU file and function"),
    ("swift-style", "a private note"),
    ("shared" + "/spec", "a path outside the repository"),
    ("/work/", "a path outside the repository"),
    ("/home/", "a path outside the repository"),
    ("/Users/", "a path outside the repository"),
    (#"\bseeds? 0\d\d\b"#, "a private thread number; cite the public mailing-list thread"),
    (#"\bT-(new|old|init|617|rk)\b"#, "a private version key; name the kernel version (Docs/Sources.md)"),
    (#"\b(KF|EL) §"#, "a private section key"),
    // A section sign is fine after a public standard's name (IEEE 1364 §18).
    (#"(?<!(IEEE|ISO|RFC|ECMA|IHI|DDI)[^§\n]{0,20})§"#, "a section of a document that is not in the repository"),
  ]

  /// Every text file under `tops` (build directories excluded), plus
  /// README.md, as repository-relative paths.
  static func scannedFiles(_ tops: [String] = ["Sources", "Docs"]) throws -> [String] {
    var files = ["README.md"]
    for top in tops {
      let base = repositoryRoot + "/" + top
      guard let walker = FileManager.default.enumerator(atPath: base) else { continue }
      while let relative = walker.nextObject() as? String {
        if relative.split(separator: "/").contains(where: { $0 == ".build" || $0 == ".swiftpm" }) { continue }
        let ext = (relative as NSString).pathExtension
        guard ["swift", "md", "yaml", "yml", "json", "jsonl"].contains(ext) else { continue }
        files.append(top + "/" + relative)
      }
    }
    return files.sorted()
  }

  static func read(_ relative: String) throws -> String {
    try String(contentsOfFile: repositoryRoot + "/" + relative, encoding: .utf8)
  }

  static func lineNumber(of index: String.Index, in text: String) -> Int {
    text[..<index].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
  }

  @Test func noCitationOfPrivateMaterial() throws {
    var hits: [String] = []
    for file in try Self.scannedFiles(["Sources", "Docs", "Tests"])
    where file != "Tests/CMDQVTestSupportTests/ReferenceTests.swift" {
      let text = try Self.read(file)
      for (pattern, why) in Self.denied {
        let regex = try NSRegularExpression(pattern: pattern)
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
          let range = Range(match.range, in: text)!
          hits.append("\(file):\(Self.lineNumber(of: range.lowerBound, in: text)): '\(text[range])' is \(why)")
        }
      }
    }
    if !hits.isEmpty { Issue.record(Comment(rawValue: "\(hits.count) citations of material outside the repository:\n" + hits.joined(separator: "\n"))) }
  }

  /// Relative Markdown links resolve to files in the repository.
  @Test func markdownLinksResolve() throws {
    var broken: [String] = []
    let link = try NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
    for file in try Self.scannedFiles() where file.hasSuffix(".md") {
      let text = try Self.read(file)
      let directory = (file as NSString).deletingLastPathComponent
      for match in link.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        var target = String(text[Range(match.range(at: 1), in: text)!])
        if target.contains("://") || target.hasPrefix("mailto:") || target.hasPrefix("#") { continue }
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        let resolved = ((directory.isEmpty ? target : directory + "/" + target) as NSString).standardizingPath
        if !FileManager.default.fileExists(atPath: repositoryRoot + "/" + resolved) {
          broken.append("\(file):\(Self.lineNumber(of: Range(match.range, in: text)!.lowerBound, in: text)): link to \(target)")
        }
      }
    }
    if !broken.isEmpty { Issue.record(Comment(rawValue: "links to files that are not in the repository:\n" + broken.joined(separator: "\n"))) }
  }

  /// Every `Docs/…`, `Sources/…`, `Tests/…` or `RegisterMaps/…` path that a
  /// document or comment mentions exists (a `*` matches within one name).
  @Test func mentionedRepositoryPathsExist() throws {
    var missing: [String] = []
    let mention = try NSRegularExpression(pattern: #"(?<![\w./-])(Docs|Sources|Tests|RegisterMaps)/[\w.*+/-]*"#)
    for file in try Self.scannedFiles() {
      let text = try Self.read(file)
      for match in mention.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        var path = String(text[Range(match.range, in: text)!])
        while let last = path.last, ".,:;/".contains(last) { path.removeLast() }
        if !Self.exists(path) {
          missing.append("\(file):\(Self.lineNumber(of: Range(match.range, in: text)!.lowerBound, in: text)): \(path)")
        }
      }
    }
    if !missing.isEmpty { Issue.record(Comment(rawValue: "paths that are not in the repository:\n" + missing.joined(separator: "\n"))) }
  }

  /// Whether `path` (repository-relative, `*` allowed in a component) names a
  /// file or directory.
  static func exists(_ path: String) -> Bool {
    guard path.contains("*") else { return FileManager.default.fileExists(atPath: repositoryRoot + "/" + path) }
    var candidates = [repositoryRoot]
    for component in path.split(separator: "/") {
      let regex = try? NSRegularExpression(
        pattern: "^" + NSRegularExpression.escapedPattern(for: String(component)).replacingOccurrences(of: "\\*", with: ".*") + "$")
      candidates = candidates.flatMap { directory -> [String] in
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
          regex?.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        }.map { directory + "/" + $0 }
      }
    }
    return !candidates.isEmpty
  }

  /// The checks above can fail: a denied name and a missing path are found.
  @Test func checksCatchWhatTheyShould() throws {
    #expect(!Self.exists("Docs/NoSuchDocument.md"))
    #expect(Self.exists("Tests/IOMMUFDTests/Tegra*.swift"))
    let sample = "see kernel" + "-facts " + "§A.1 and T-" + "new"
    let caught = try Self.denied.filter { entry in
      try NSRegularExpression(pattern: entry.pattern).firstMatch(in: sample, range: NSRange(sample.startIndex..., in: sample)) != nil
    }
    #expect(caught.count >= 3)
    let standard = "the VCD format (IEEE 1364 §18)"
    let flagged = try Self.denied.filter { entry in
      try NSRegularExpression(pattern: entry.pattern).firstMatch(in: standard, range: NSRange(standard.startIndex..., in: standard)) != nil
    }
    #expect(flagged.isEmpty)
  }
}
