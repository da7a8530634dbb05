import CMDQVCLI
import Foundation
import Testing

/// `cmdqv run` and the rule book: an unexpected violation exits 1 naming the
/// rule, `expect_violation` makes it pass, `--rules` sets policies.
@Suite struct RunRulesTests {
  static let misstep = """
    name: misstep
    steps:
      - boot:
      - note: "map LVCMDQ0 of the disabled VINTF1"
      - write:
          offset: 0x208
          value: 0x8001

    """

  func write(_ text: String) throws -> (dir: String, path: String) {
    let dir = try temporaryDirectory()
    let path = dir + "/s.yaml"
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return (dir, path)
  }

  @Test func unexpectedViolationExitsOneAndNamesTheRule() throws {
    let (dir, path) = try write(Self.misstep)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = cmdqv("run", path)
    #expect(r.status == 1)
    #expect(r.stdout.contains("FAILED"))
    #expect(r.stdout.contains("rule violations: 1"))
    #expect(r.stdout.contains("LVCMDQ-MAP-VINTF-DISABLED at cycle"))
    #expect(r.stdout.contains("access: host wrote 0x8001 to CMDQV_CMDQ_ALLOC2 (0x208)"))
    #expect(r.stdout.contains("source: tegra241-cmdqv.c: tegra241_vintf_hw_init"))
    #expect(r.stderr.contains("s.yaml:5:5: expectation failed: write 0x208: unexpected rule violation"))
    #expect(r.stderr.contains("LVCMDQ-MAP-VINTF-DISABLED"))
  }

  @Test func expectViolationMakesItPass() throws {
    let (dir, path) = try write(Self.misstep + "  - expect_violation: LVCMDQ-MAP-VINTF-DISABLED\n")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = cmdqv("run", path)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("PASSED") && r.stdout.contains("rule violations: 1"))
  }

  @Test func rulesOptionIgnoresARule() throws {
    let (dir, path) = try write(Self.misstep)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = cmdqv("run", path, "--rules", "LVCMDQ-MAP-VINTF-DISABLED=ignore")
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("rule violations: 0"))
    // Later items win: ignore everything, then record this one again.
    #expect(cmdqv("run", path, "--rules=ignore,lvcmdq-map-vintf-disabled=record").status == 1)
    #expect(cmdqv("run", path, "--rules", "ignore").status == 0)
  }

  @Test func badRulesArgumentsAreBadInput() {
    expectBadInput(cmdqv("run", "--rules", "LVCMDQ-MAP-ASCENDNG=ignore"), containing: "did you mean LVCMDQ-MAP-ASCENDING?")
    expectBadInput(cmdqv("run", "--rules", "trap"), containing: "trap stops the process")
    expectBadInput(cmdqv("run", "--rules", "sometimes"), containing: "expected record or ignore")
    expectBadInput(cmdqv("run", "--rules", ""), containing: "--rules")
  }
}
