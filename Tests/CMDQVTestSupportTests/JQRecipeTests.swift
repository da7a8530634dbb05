import Foundation
import Testing

/// `jq` on the PATH, if installed.
let jqPath: String? = {
  let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
  return dirs.map { "\($0)/jq" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

@Suite struct JQRecipeTests {
  /// The commands of the `sh` block under "### jq recipes" in Docs/Tracing.md.
  static func recipes() throws -> [String] {
    let doc = try String(contentsOfFile: repositoryRoot + "/Docs/Tracing.md", encoding: .utf8)
    guard let section = doc.range(of: "### jq recipes"), let open = doc.range(of: "```sh\n", range: section.upperBound..<doc.endIndex),
      let close = doc.range(of: "```", range: open.upperBound..<doc.endIndex)
    else { return [] }
    return doc[open.upperBound..<close.lowerBound].split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
  }

  @Test func theDocumentListsRecipes() throws {
    let recipes = try Self.recipes()
    #expect(recipes.count >= 6)
    #expect(recipes.allSatisfy { $0.hasPrefix("jq ") && $0.hasSuffix(" run.jsonl") })
  }

  @Test(.enabled(if: jqPath != nil, "jq is not installed: the documented jq recipes are not run"))
  func everyRecipeRunsOnATraceOfTheDefaultScenario() throws {
    let dir = NSTemporaryDirectory() + "cmdqv-jq-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let run = try TracedRun("vmm-lifecycle", .jsonl)
    try Data(run.bytes).write(to: URL(fileURLWithPath: dir + "/run.jsonl"))
    for recipe in try Self.recipes() {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = ["-c", recipe]
      process.currentDirectoryURL = URL(fileURLWithPath: dir)
      let out = Pipe(), err = Pipe()
      process.standardOutput = out
      process.standardError = err
      try process.run()
      let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(recipe)\n\(error)")
      #expect(!output.isEmpty, "no output from: \(recipe)")
    }
  }
}
