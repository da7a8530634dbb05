import CMDQVCLI
import Testing

@Suite struct StepCommandTests {
  @Test func pipedSession() {
    let r = cmdqv("step", stdin: "next\nnext\nregs VINTF0_CONFIG\nstep 5\nread 0x8\nwrite 0x1C 0x1\nbogus\nquit\n")
    #expect(r.status == 0)
    let out = r.stdout
    // No prompt noise when stdin is not a terminal.
    #expect(!out.contains("cmdqv>"))
    #expect(out.contains("37 steps; type 'help' for commands"))
    #expect(out.contains("[1/37] <built-in>/vmm-lifecycle.yaml:9:5 boot: booted: VINTF0 enabled with 2 kernel LVCMDQs"))
    // What boot changed, as trace lines.
    #expect(out.contains("  #100 @500 W host config 0x1000 w32 0x00020001 VINTF0_CONFIG 0x20000->0x20001 {ENABLE: 0->1}"))
    #expect(out.contains("STATE VINTF0.ENABLE_OK 0x0->0x1"))
    #expect(out.contains("[2/37] <built-in>/vmm-lifecycle.yaml:10:5 note: VMM: guest RAM"))
    #expect(out.contains("VINTF0_CONFIG = 0x00020001  ENABLE=1 VMID=0x0 HYP_OWN=1\n"))
    #expect(out.contains("cycle 1005\nno change\n"))
    #expect(out.contains("0x8 CMDQV_STATUS = 0x00000001\nno change\n"))
    #expect(out.contains("W host config 0x1c w32 0x00000001 CMDQV_VI_INT_MASK 0x0->0x1 {MASK: 0x0->0x1}"))
    #expect(r.stderr == "error: unknown command 'bogus' (type 'help')\n")
  }

  @Test func continueRunsToTheEndAndEOFQuits() {
    let r = cmdqv("step", stdin: "c\nstate\nn\n")
    #expect(r.status == 0)
    #expect(r.stdout.contains("[37/37] <built-in>/vmm-lifecycle.yaml"))
    #expect(r.stdout.contains("PASSED"))
    #expect(r.stdout.contains("CMDQV v1 cycle"))
    #expect(r.stdout.contains("scenario finished (37 steps)"))
  }

  @Test func badCommandsPrintAnErrorAndContinue() {
    let r = cmdqv("step", stdin: "step\nstep x\nread 0xZZ\nwrite 1\nregs a b\nhelp\nread 0x4\n")
    #expect(r.status == 0)
    #expect(r.stderr.split(separator: "\n").count == 5, "\(r.stderr)")
    #expect(r.stderr.contains("usage: step N"))
    #expect(r.stderr.contains("bad N 'x'"))
    #expect(r.stdout.contains("next [N], n [N]"))
    #expect(r.stdout.contains("0x4 CMDQV_PARAM = 0x00004231"))
  }

  @Test func aFailedStepMakesTheSessionExitOne() throws {
    let r = cmdqv("step", stdin: "c\nn\n")
    #expect(r.status == 0)
    // A scenario whose second step fails.
    let dir = try temporaryDirectory()
    let path = dir + "/f.yaml"
    try "name: f\nsteps:\n  - boot:\n  - expect_fault:\n      kind: access\n      count: 3\n  - note: never\n"
      .write(toFile: path, atomically: true, encoding: .utf8)
    let f = cmdqv("step", path, stdin: "n\nn\nn\n")
    #expect(f.status == 1)
    #expect(f.stdout.contains("[2/3] \(path):4:5: expectation failed: expect_fault access: expected 3 access fault(s), got 0"))
    #expect(f.stdout.contains("stopped at the failed step"))
  }
}
