import CMDQVCLI
import Foundation
import Testing

@Suite struct RunStoryTests {
  @Test func runTellsTheStoryOneLinePerStep() {
    let r = cmdqv("run")
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n")
    let stepLines = lines.filter { $0.hasPrefix("[") }
    #expect(stepLines.count == 37)
    #expect(stepLines.first?.hasPrefix("[1/37] <built-in>/vmm-lifecycle.yaml:9:5 boot: booted") == true)
    // The summary follows the story; expected errors and faults say so.
    #expect(r.stdout.contains("scenario vmm-lifecycle (<built-in>/vmm-lifecycle.yaml): PASSED\n"))
    #expect(r.stdout.contains("command errors: 1 (all expected)\n"))
    #expect(r.stdout.contains("CERROR_ILL_ACCESS: CFGI_STE is not accepted from a guest-owned VINTF"))
    #expect(r.stdout.contains("rule violations: 1 (all expected)\n"))
    #expect(r.stdout.contains("  LVCMDQ-MAP-ASCENDING at cycle 2200: VINTF1: mapped LVCMDQ1 while LVCMDQ0 is unmapped"))
    #expect(r.stdout.contains("access faults: 0\n"))
    #expect(!r.stdout.contains("UNEXPECTED"))
    #expect(r.stderr.isEmpty)
  }

  @Test func quietPrintsTheSummaryOnly() {
    let r = cmdqv("run", "-q")
    #expect(r.status == 0)
    #expect(!r.stdout.contains("[1/37]"))
    #expect(r.stdout.hasPrefix("scenario vmm-lifecycle (<built-in>/vmm-lifecycle.yaml): PASSED\n"))
    #expect(r.stdout.contains("command errors: 1 (all expected)"))
  }

  /// The same rule violation without the `expect_violation` that claims it:
  /// the step that broke the rule fails, and the violation is listed first,
  /// loud, and warned about on stderr.
  @Test func unexpectedViolationsComeFirstAndLoud() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/surprise.yaml"
    let text = try String(contentsOfFile: shippedScenarioPath("vmm-lifecycle"), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    try lines.filter { !$0.contains("expect_violation:") }.joined(separator: "\n")
      .write(toFile: path, atomically: false, encoding: .utf8)
    let r = cmdqv("run", "-q", path)
    #expect(r.status == 1)
    let out = r.stdout.split(separator: "\n").map(String.init)
    #expect(out.first == "scenario vmm-lifecycle (\(path)): FAILED")
    #expect(out.contains("\(path):127:5: expectation failed: write 0x20c: unexpected rule violation"))
    let loud = try #require(out.firstIndex(of: "UNEXPECTED: 1 command error(s)/fault(s) no step expected:"))
    #expect(out[loud + 1].hasPrefix("  !! step 32 (\(path):127): rule violation: LVCMDQ-MAP-ASCENDING at cycle 2200"))
    #expect(r.stdout.contains("rule violations: 1 (0 expected)\n"))
    #expect(r.stdout.contains("(UNEXPECTED)"))
    #expect(r.stdout.contains("command errors: 1 (all expected)"))
    #expect(r.stderr.contains("cmdqv run: warning: UNEXPECTED step 32"))
  }
}
