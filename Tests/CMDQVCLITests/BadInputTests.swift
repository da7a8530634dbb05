import CMDQVCLI
import Foundation
import Testing

/// Bad input: one message on stderr, exit 2, never a crash.
@Suite struct BadInputTests {
  @Test func unknownSubcommand() {
    expectBadInput(cmdqv("rnu"), containing: "unknown subcommand 'rnu' (did you mean 'run'?)")
  }

  @Test func badNumbers() {
    expectBadInput(cmdqv("decode", "0xZZ"), containing: "bad OFFSET '0xZZ'")
    expectBadInput(cmdqv("decode", "0x50080", "0x1_"), containing: "bad VALUE '0x1_'")
    expectBadInput(cmdqv("decode", "-1"), containing: "bad OFFSET '-1'")
    expectBadInput(cmdqv("decode", "0x50080", "0x1_0000_0000"), containing: "wider than the 32-bit register")
    expectBadInput(cmdqv("decode", "0x7fff0"), containing: "no register at offset 0x7fff0")
  }

  @Test func badOptions() {
    expectBadInput(cmdqv("run", "--frmat", "jsonl"), containing: "did you mean '--format'?")
    expectBadInput(cmdqv("run", "--trace"), containing: "needs a value")
    expectBadInput(cmdqv("run", "--trace", "x.txt", "--format", "svg"), containing: "unknown trace format 'svg'")
    expectBadInput(cmdqv("run", "a.yaml", "b.yaml"), containing: "unexpected argument 'b.yaml'")
    expectBadInput(cmdqv("decode"), containing: "missing OFFSET")
    expectBadInput(cmdqv("trace"), containing: "missing action")
    expectBadInput(cmdqv("trace", "cat", "x"), containing: "unknown trace action 'cat'")
    expectBadInput(cmdqv("regs", "--map", "pcie"), containing: "unknown map 'pcie'")
    expectBadInput(cmdqv("run", "--quiet=yes"), containing: "takes no value")
  }

  @Test func missingFiles() {
    expectBadInput(cmdqv("run", "/nonexistent/s.yaml"), containing: "cannot read scenario '/nonexistent/s.yaml'")
    expectBadInput(cmdqv("step", "/nonexistent/s.yaml"), containing: "cannot read scenario")
    expectBadInput(cmdqv("trace", "show", "/nonexistent/t.jsonl"), containing: "/nonexistent/t.jsonl")
  }

  @Test func malformedTraceIsPositioned() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "{\"v\":1,\"seq\":1}\n".write(toFile: dir + "/t.jsonl", atomically: true, encoding: .utf8)
    expectBadInput(cmdqv("trace", "show", dir + "/t.jsonl"), containing: "\(dir)/t.jsonl:1:")
  }

  static let base = """
    name: bad
    steps:
      - boot:
      - ioas:
          name: ioas0

    """

  /// Each malformed scenario and the `line:col: error: text` it must produce.
  static let malformed: [(String, String)] = [
    (base + "  - frobnicate:\n", "6:5: error: unknown action 'frobnicate'"),
    (base + "  - map:\n      ioas: ioas0\n      iova: 0\n      length: 0x1000\n      pa: 0\n      colour: red\n",
     "11:7: error: unknown key 'colour' in 'map'"),
    (base + "  - map:\n      ioas: ioas1\n      iova: 0\n      length: 0x1000\n      pa: 0\n",
     "7:13: error: undefined name 'ioas1'"),
    (base + "  - destroy:\n      name: ioas0\n      expect: EBUSSY\n", "8:15: error: unknown errno 'EBUSSY'"),
    (base + "  - step:\n\t  10\n", "7:1: error:"),
    (base + "  - host_issue:\n      commands:\n        - op: TLBI_NH_ASIDD\n", "8:15: error: unknown command 'TLBI_NH_ASIDD'"),
    (base + "  - host_issue:\n      commands:\n        - op: TLBI_NH_ASID\n          asid: 0x1_0000\n",
     "9:17: error: 0x1_0000 does not fit in 16 bits"),
    (base + "  - guest_ack:\n      window: w\n      queue: 0\n", "7:15: error: undefined name 'w'"),
    (base + "  - map:\n      ioas: ioas0\n      length: 1\n      pa: 0\n", "7:7: error: missing key 'iova' in 'map'"),
    ("name: x\ndevice:\n  vintfs: 3\nsteps:\n  - boot:\n", "3:11: error: 'vintfs' in device must be a power of two"),
    ("name: x\nsteps:\n  - bind:\n      name: d\n      sids: [1]\n", "3:5: error: 'bind' needs the booted drivers"),
    ("name: x\nsteps:\n  - boot:\n  - write:\n      offset: 0x0\n      value: 1\n      as: guest:9\n",
     "7:11: error: 'as' must be host or guest:N"),
  ]

  @Test(arguments: 0..<malformed.count)
  func malformedScenarioIsPositioned(_ index: Int) throws {
    let (text, expected) = Self.malformed[index]
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/bad.yaml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    expectBadInput(cmdqv("run", path), containing: "\(path):\(expected)")
  }

  @Test func queueIndexOutOfRangeIsAScenarioErrorNotATrap() throws {
    let text = try String(contentsOfFile: shippedScenarioPath("vmm-lifecycle"), encoding: .utf8)
      .replacingOccurrences(of: "  - guest_ack:\n      window: win0\n      queue: 1\n", with: "  - guest_ack:\n      window: win0\n      queue: 128\n")
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try text.write(toFile: dir + "/q.yaml", atomically: true, encoding: .utf8)
    expectBadInput(cmdqv("run", dir + "/q.yaml"), containing: "error: 'queue' in 'guest_ack' must be in 0...127, got 128")
  }

  @Test func garbageArgumentsNeverCrash() {
    // Seeded, so a failure reproduces. No "--trace": a random word after it
    // would be a trace file written into the working directory.
    var state: UInt64 = 0x5EED_C0DE
    func next() -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }
    let words = ["run", "regs", "decode", "trace", "step", "show", "diff", "--format", "--map", "--all", "-q",
                 "0x", "0x1", "-", "--", "=", "--x=", "VINTF*", "", "\u{0}", "99999999999999999999999", "é"]
    for _ in 0..<150 {
      let args = (0..<(next() % 5)).map { _ in words[next() % words.count] }
      let r = cmdqv(arguments: args, stdin: "n\nq\n")
      #expect([0, 1, 2].contains(r.status), "\(args)")
      if r.status == 2 { #expect(r.stderrLines.count >= 1, "\(args)") }
    }
  }
}
