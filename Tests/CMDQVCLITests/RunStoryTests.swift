import CMDQVCLI
import Foundation
import Testing

@Suite struct RunStoryTests {
  @Test func runTellsTheStoryOneLinePerStep() {
    let r = cmdqv("run")
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n")
    let stepLines = lines.filter { $0.hasPrefix("[") }
    #expect(stepLines.count == 34)
    #expect(stepLines.first?.hasPrefix("[1/34] <built-in>/vmm-lifecycle.yaml:9:5 boot: booted") == true)
    // The summary follows the story; expected errors and faults say so.
    #expect(r.stdout.contains("scenario vmm-lifecycle (<built-in>/vmm-lifecycle.yaml): PASSED\n"))
    #expect(r.stdout.contains("command errors: 1 (all expected)\n"))
    #expect(r.stdout.contains("CERROR_ILL_ACCESS: CFGI_STE is not accepted from a guest-owned VINTF"))
    #expect(r.stdout.contains("faults: 1 (ordering 1, access 0; all expected)\n"))
    #expect(r.stdout.contains("(<built-in>/vmm-lifecycle.yaml:116): ordering fault: VINTF1: mapped LVCMDQ1"))
    #expect(!r.stdout.contains("UNEXPECTED"))
    #expect(r.stderr.isEmpty)
  }

  @Test func quietPrintsTheSummaryOnly() {
    let r = cmdqv("run", "-q")
    #expect(r.status == 0)
    #expect(!r.stdout.contains("[1/34]"))
    #expect(r.stdout.hasPrefix("scenario vmm-lifecycle (<built-in>/vmm-lifecycle.yaml): PASSED\n"))
    #expect(r.stdout.contains("command errors: 1 (all expected)"))
  }

  /// The same ordering fault without the `expect_fault` that counts it:
  /// unexpected, listed first and loud, and warned about on stderr.
  @Test func unexpectedFaultsComeFirstAndLoud() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/surprise.yaml"
    var text = try String(contentsOfFile: shippedScenarioPath("vmm-lifecycle"), encoding: .utf8)
    // Drop every expect_fault step (each is three lines).
    while let r = text.range(of: "  - expect_fault:\n") {
      let end = text[r.upperBound...].split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
      let cut = text.index(r.upperBound, offsetBy: end[0].count + 1 + end[1].count + 1)
      text.removeSubrange(r.lowerBound..<cut)
    }
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    let r = cmdqv("run", "-q", path)
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count > 3)
    #expect(lines[1] == "UNEXPECTED: 1 command error(s)/fault(s) no step expected:")
    #expect(lines[2].hasPrefix("  !! step 29 (\(path):116): ordering fault: VINTF1: mapped LVCMDQ1"))
    #expect(r.stdout.contains("faults: 1 (ordering 1, access 0; 0 expected)\n"))
    #expect(r.stdout.contains("(UNEXPECTED)"))
    #expect(r.stdout.contains("command errors: 1 (all expected)"))
    #expect(r.stderr.hasPrefix("cmdqv run: warning: UNEXPECTED step 29"))
  }
}
