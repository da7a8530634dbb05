import CMDQVCLI
import Foundation
import Testing

/// The malformed-input corpus for `cmdqv`: scenarios, traces and argument
/// lines. Every case exits 2 with exactly one message, positioned
/// (`file:line:col: error:`) for files or naming the argument.
@Suite struct MalformedInputCorpusTests {
  static let head = "name: c\nsteps:\n  - boot:\n  - ioas:\n      name: a\n"

  /// A scenario's text and the `line:col: error: …` fragment its message must hold.
  static let scenarios: [(String, String)] = [
    (head + "  - step: 1_000_000_001\n", "6:11: error: 'step' must be in 0...1000000000, got 1_000_000_001"),
    (head + "  - step: -1\n", "6:11: error: expected a non-negative integer without a sign"),
    (head + "  - step: 0x\n", "6:11: error: '0x' has no digits after its prefix"),
    (head + "  - step: 99999999999999999999999999999999999999\n", "6:11: error:"),
    (head + "  - step: ten\n", "6:11: error:"),
    (head + "  - map:\n      ioas: a\n      iova: 0\n      length: 0x4000_1000\n      pa: 0\n",
     "9:7: error: 'length' above 0x4000_0000 (1 GiB)"),
    (head + "  - map:\n      ioas: a\n      iova: 0\n      length: 0x2000\n      pa: 0xFFFF_FFFF_FFFF_F000\n",
     "10:7: error: 'pa' + 'length' overflows"),
    (head + "  - map:\n      ioas: a\n      iova: 0\n      length: 0x3000_0000\n      pa: 0\n"
       + "  - map:\n      ioas: a\n      iova: 0x4000_0000\n      length: 0x3000_0000\n      pa: 0x4000_0000\n",
     "14:7: error: this map brings the scenario's mapped memory to 0x60000000 bytes, above 0x4000_0000 (1 GiB) in total"),
    (head + "  - map:\n      ioas: a\n      iova: 0\n      length: 0x1_0000_0000_0000_0000\n      pa: 0\n", "9:15: error:"),
    ("name: x\ndevice:\n  vintfs: 128\nsteps:\n  - boot:\n", "3:11: error: 'vintfs' in device must be in 1...64, got 128"),
    ("name: x\ndevice:\n  vcmdqs: 256\nsteps:\n  - boot:\n", "3:11: error: 'vcmdqs' in device must be in 1...128"),
    ("name: x\ndevice:\n  sids_per_vintf: 32\nsteps:\n  - boot:\n", "3:19: error: 'sids_per_vintf' in device must be in 1...16"),
    ("name: x\ndevice:\n  cycles_per_us: 0\nsteps:\n  - boot:\n", "3:18: error: 'cycles_per_us' in device must be in 1...1000000000, got 0"),
    ("name: x\ndevice:\n  cycles_per_us: 1_000_000_001\nsteps:\n  - boot:\n", "3:18: error: 'cycles_per_us' in device must be in 1...1000000000"),
    ("name: x\ndevice:\n  commands_per_cycle: 0\nsteps:\n  - boot:\n", "3:23: error: 'commands_per_cycle' in device must be in 1...1000000"),
    ("name: x\ndevice:\n  cmdqs: 20\nsteps:\n  - boot:\n", "3:10: error: 'cmdqs' in device must be in 0...19, got 20"),
    ("name: x\ndevice:\n  version: 16\nsteps:\n  - boot:\n", "3:12: error: 'version' in device must be in 0...15, got 16"),
    ("name: x\ndevice:\n  latency:\n    cmdqv: 1_000_001\nsteps:\n  - boot:\n", "4:12: error: 'cmdqv' in device latency must be in 0...1000000"),
    ("name: x\ndevice:\n  latency:\n    vintf:\n      enable: 2_000_000\n      disable: 0\nsteps:\n  - boot:\n", "5:15: error: 'enable' in latency 'vintf' must be in 0...1000000"),
    ("name: x\ndevice:\n  rules: trap\nsteps:\n  - boot:\n", "3:10: error: rule policy 'trap' would stop the process"),
    ("name: x\ndevice:\n  rules:\n    NO-SUCH-RULE: ignore\nsteps:\n  - boot:\n", "4:5: error: unknown key 'NO-SUCH-RULE'"),
    ("name: x\ndevice:\n  preset: grace\nsteps:\n  - boot:\n", "3:11: error: unknown device preset 'grace'"),
    ("name: x\ndevice:\n  vintfs: 8\n  vcmdqs: 4\nsteps:\n  - boot:\n", "4:3: error: device has 4 VCMDQs for 8 VINTFs"),
    (head + "  - write:\n      offset: 0x800_0000\n      value: 1\n", "7:15: error: 'offset' in 'write' must be in 0...134217727"),
    (head + "  - write:\n      offset: 0x0\n      value: 0x1_0000_0000\n", "8:14: error: 0x1_0000_0000 does not fit in 32 bits"),
    (head + "  - write:\n      offset: 0x30000\n      value: 1\n      as: guest:64\n", "9:11: error: 'as' must be host or guest:N"),
    (head + "  - write:\n      offset: 0x30000\n      value: 1\n      as: guest:-1\n", "9:11: error: 'as' must be host or guest:N"),
    (head + "  - host_issue:\n      cpu: 4096\n      commands:\n        - op: CMD_SYNC\n", "7:12: error: 'cpu' in 'host_issue' must be in 0...4095"),
    (head + "  - host_issue:\n      commands:\n        - op: TLBI_NH_ASID\n          vmid: 0x1_0000\n", "9:17: error: 0x1_0000 does not fit in 16 bits"),
    (head + "  - host_issue:\n      commands:\n        - op: CFGI_STE\n          sid: 0x1_0000_0000\n", "9:16: error: 0x1_0000_0000 does not fit in 32 bits"),
    (head + "  - inject:\n      command_error: ILL\n      queue: SMMU_CMDQ\n      at: 0\n", "9:11: error: 'at' in 'inject' must be in 1...1000000, got 0"),
    (head + "  - inject:\n      fetch_abort: 0x1000\n      length: 0\n", "8:7: error: 'length' must be non-zero"),
    (head + "  - inject:\n      fetch_abort: 0xFFFF_FFFF_FFFF_FFF0\n      length: 0x100\n", "8:7: error: 'length' must be non-zero and base + length must not overflow"),
    (head + "  - inject:\n      stuck_bit: 32\n      offset: 0x8\n      value: 1\n", "7:18: error: 'stuck_bit' in 'inject' must be in 0...31"),
    (head + "  - expect_fault:\n      kind: access\n      count: 1_000_000_001\n", "8:14: error: 'count' in 'expect_fault' must be in 0...1000000000"),
    (head + "  - munmap:\n      window: w\n", "7:15: error: undefined name 'w'"),
    (head + "  - destroy:\n      name: a\n      expect: EWHAT\n", "8:15: error: unknown errno 'EWHAT'"),
    (head + "  - ioas:\n      name: a\n", "7:13: error:"),
    (head + "  - boot:\n    step: 3\n", "7:5: error: a step has exactly one action key"),
    (head + "  - map: &x\n", "6:10: error:"),
    (head + "  - note: [1, [2]]\n", "6:"),
    ("name: x\nsteps: 3\n", "2:8: error: 'steps' in the scenario must be a sequence"),
    ("steps:\n  - boot:\n", "1:1: error: missing key 'name' in the scenario"),
    ("name: x\ncolour: red\nsteps:\n  - boot:\n", "2:1: error: unknown key 'colour' in the scenario"),
    ("name: x\nname: y\nsteps:\n  - boot:\n", "2:1: error: duplicate key 'name'"),
    ("name: x\nsteps:\n\t- boot:\n", "3:1: error:"),
    ("", "1:1: error:"),
    ("name: \"unterminated\nsteps:\n  - boot:\n", "1:7: error:"),
  ]

  @Test(arguments: 0..<scenarios.count)
  func malformedScenarioIsOnePositionedMessage(_ index: Int) throws {
    let (text, expected) = Self.scenarios[index]
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/s.yaml"
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    expectOneError(cmdqv("run", path), containing: "\(path):\(expected)")
  }

  /// Exit 2, exactly one `error:` line holding `fragment`; other lines may
  /// only be the `note:` that points at a related place.
  func expectOneError(_ r: CLIResult, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == 2, "status \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
    let errors = r.stderrLines.filter { $0.contains(": error: ") }
    #expect(errors.count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderrLines.allSatisfy { $0.contains(": error: ") || $0.contains(": note: ") }, "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(errors.first?.contains(fragment) == true, "stderr lacks '\(fragment)':\n\(r.stderr)", sourceLocation: sourceLocation)
  }

  static let good = #"{"v":1,"seq":1,"cycle":0,"kind":"note","text":"ok"}"#

  /// A bad second line of a trace, the column and a fragment of the message.
  static let traces: [(String, Int, String)] = [
    (#"{"v":1,"seq":2,"cycle":2,"kind":"mmio_w","width":40000000000}"#, 50, "must be 8, 16, 32 or 64"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"mmio_w","width":24}"#, 50, "must be 8, 16, 32 or 64, found 24"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"mmio_w","width":32,"value":"0x1ffffffff"}"#, 61, "does not fit the 32-bit access"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"cmd","vintf":64}"#, 47, #"key "vintf" must be in 0...63"#),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"cmd","sid":4294967296}"#, 45, #"key "sid" must be in 0...4294967295"#),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"cmd","dwords":[]}"#, 48, "must hold 2 doublewords, found 0"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"cmd_err","code":255}"#, 50, #"key "code" must be in 0...127"#),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"mmio_r","offset":99999999999999999999}"#, 51, "must be a non-negative integer"),
    (#"{"v":1,"seq":18446744073709551616,"cycle":2,"kind":"note"}"#, 14, #"key "seq" must be a non-negative integer"#),
    (#"{"v":1,"seq":2,"cycle":"2","kind":"note"}"#, 24, #"key "cycle" must be an integer, found string"#),
    (#"{"v":1,"seq":2,"cycle":2}"#, 1, #"missing required key "kind""#),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"boom"}"#, 33, #"unknown kind "boom""#),
    (#"{"v":9,"seq":2,"cycle":2,"kind":"note"}"#, 6, "unsupported schema version"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"note","text":1}"#, 47, #"key "text" must be a string, found number"#),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"mmio_w","value":"0xZZ"}"#, 50, "must be a hex string"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"mmio_w","value":"0x00000000000000001"}"#, 50, "of 1-16 digits"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"mmio_w","accepted":"no"}"#, 53, #"key "accepted" must be a boolean"#),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"mmio_w","fields":[1]}"#, 52, "must be an array of strings"),
    (#"{"v":1,"seq":2,"seq":3,"cycle":2,"kind":"note"}"#, 16, #"duplicate key "seq""#),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"note"} trailing"#, 41, "unexpected 't' after the JSON value"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"note","text":"\x"}"#, 48, "invalid escape"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"note","text":"\ud800"}"#, 54, "unpaired surrogate"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"note","text":"tab"# + "\t" + #"in"}"#, 51, "control character"),
    (#"{"v":1,"seq":2,"#, 16, "unterminated object"),
    (#"{"v":01,"seq":2,"cycle":2,"kind":"note"}"#, 6, "leading zero"),
    ("[1, 2]", 1, "expected a JSON object, found array"),
    ("nope", 2, "invalid literal"),
    (String(repeating: "[", count: 65), 65, "nesting deeper than 64"),
    (#"{"v":1,"seq":2,"cycle":2,"kind":"note","text":"#, 47, "expected a value, found end of line"),
    (#"{"v":1,"seq":2,"cycle":-2,"kind":"note"}"#, 24, "must be a non-negative integer"),
  ]

  @Test(arguments: 0..<traces.count)
  func malformedTraceLineIsOnePositionedMessage(_ index: Int) throws {
    let (line, column, fragment) = Self.traces[index]
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/t.jsonl"
    try (Self.good + "\n" + line + "\n" + Self.good + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    let r = cmdqv("trace", "show", path)
    expectBadInput(r, containing: "\(path):2:\(column): error: ")
    #expect(r.stderr.contains(fragment), "\(r.stderr)")
    // The same file on either side of a diff is the same error.
    expectBadInput(cmdqv("trace", "diff", path, path), containing: "\(path):2:\(column): error: ")
  }

  @Test func diffStreamsButStillRejectsAMalformedLineAfterTheDivergence() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let other = #"{"v":1,"seq":1,"cycle":0,"kind":"note","text":"other"}"#
    try (Self.good + "\n" + Self.good + "\n").write(toFile: dir + "/a.jsonl", atomically: false, encoding: .utf8)
    try (other + "\n" + #"{"v":1,"seq":2,"cycle":2,"kind":"mmio_w","width":7}"# + "\n")
      .write(toFile: dir + "/b.jsonl", atomically: false, encoding: .utf8)
    expectBadInput(cmdqv("trace", "diff", dir + "/a.jsonl", dir + "/b.jsonl"), containing: "\(dir)/b.jsonl:2:50: error: ")
    try (other + "\n").write(toFile: dir + "/c.jsonl", atomically: false, encoding: .utf8)
    let d = cmdqv("trace", "diff", dir + "/a.jsonl", dir + "/c.jsonl")
    #expect(d.status == 1)
    #expect(d.stdout.hasPrefix("traces diverge at left record 1 (seq 1) / right record 1 (seq 1)"), "\(d.stdout)")
    let same = cmdqv("trace", "diff", dir + "/a.jsonl", dir + "/a.jsonl")
    #expect(same.status == 0)
    #expect(same.stdout == "traces are equivalent (2 and 2 records)\n")
  }

  @Test func traceWithoutNewlinesEndsAtTheLineCap() {
    let r = cmdqv("trace", "show", "/dev/zero")
    expectBadInput(r, containing: "/dev/zero:1:1048577: error: line too long (more than 1048576 bytes)")
    expectBadInput(cmdqv("trace", "diff", "/dev/zero", "/dev/null"), containing: "/dev/zero:1:1048577: error: line too long")
  }

  @Test func invalidUTF8InATraceStringIsPositioned() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/t.jsonl"
    let bytes = Array(#"{"v":1,"seq":1,"cycle":0,"kind":"note","text":""#.utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    expectBadInput(cmdqv("trace", "show", path), containing: "\(path):1:47: error: invalid UTF-8 in string")
  }

  /// Argument lines and a fragment of the one message each gives.
  static let arguments: [([String], String)] = [
    (["run", "--format", "svg", "--trace", "x.txt"], "unknown trace format 'svg'"),
    (["run", "--format"], "option '--format' needs a value"),
    (["run", "--trace", "a", "--trace", "b"], "option '--trace' given twice"),
    (["run", "--quiet=1"], "option '--quiet' takes no value"),
    (["run", "a.yaml", "b.yaml"], "unexpected argument 'b.yaml'"),
    (["run", "--bogus"], "unknown option '--bogus'"),
    (["run", "--format", "jsonl"], "--format needs --trace FILE"),
    (["run", "-z"], "unknown option '-z'"),
    (["regs", "--map", "pcie"], "unknown map 'pcie'"),
    (["regs", "--map"], "option '--map' needs a value"),
    (["regs", "a", "b"], "unexpected argument 'b'"),
    (["regs", "--all=yes"], "option '--all' takes no value"),
    (["decode"], "missing OFFSET"),
    (["decode", "0xZZ"], "bad OFFSET '0xZZ'"),
    (["decode", "-1"], "bad OFFSET '-1'"),
    (["decode", "99999999999999999999999"], "bad OFFSET '99999999999999999999999'"),
    (["decode", "0x50080", "0x1_0000_0000"], "wider than the 32-bit register"),
    (["decode", "0x7fff0"], "no register at offset 0x7fff0"),
    (["decode", "0x50080", "1", "2"], "unexpected argument '2'"),
    (["trace"], "missing action"),
    (["trace", "cat", "x"], "unknown trace action 'cat'"),
    (["trace", "show"], "missing FILE"),
    (["trace", "show", "a", "b"], "unexpected argument 'b'"),
    (["trace", "diff", "a"], "missing B"),
    (["trace", "diff", "--context", "0x1_0000", "a", "b"], "bad --context '0x1_0000'"),
    (["trace", "diff", "--context", "-1", "a", "b"], "bad --context '-1'"),
    (["trace", "show", "/nonexistent/t.jsonl"], "/nonexistent/t.jsonl"),
    (["step", "a", "b"], "unexpected argument 'b'"),
    (["step", "/nonexistent/s.yaml"], "cannot read scenario '/nonexistent/s.yaml': no such file"),
    (["run", "/dev/zero"], "cannot read scenario '/dev/zero': larger than 1048576 bytes"),
    (["help", "nope"], "no help for unknown subcommand 'nope'"),
    (["rnu"], "unknown subcommand 'rnu' (did you mean 'run'?)"),
    (["--frmat"], "unknown option '--frmat'"),
    (["regs", String(repeating: "*?", count: 200_000)], "PATTERN is 400000 characters long, at most 256"),
  ]

  @Test(arguments: 0..<arguments.count)
  func badArgumentsAreOneMessage(_ index: Int) {
    let (args, fragment) = Self.arguments[index]
    expectBadInput(cmdqv(arguments: args), containing: fragment)
  }

  @Test func theCorpusHoldsAtLeastAHundredAndFiftyCasesWithTheMaps() {
    // 60 register maps live in RegisterMapKitTests (HostileMapTests).
    #expect(Self.scenarios.count + Self.traces.count + Self.arguments.count + 60 >= 150)
  }

  @Test func scenarioFileAtTheSizeCapIsReadAndOneByteMoreIsNot() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let body = "name: big\nsteps:\n  - boot:\n"
    let pad = 1 << 20 - body.utf8.count - 1
    let atCap = body + "#" + String(repeating: "x", count: pad - 1) + "\n"
    #expect(atCap.utf8.count == 1 << 20)
    try atCap.write(toFile: dir + "/cap.yaml", atomically: false, encoding: .utf8)
    #expect(cmdqv("run", dir + "/cap.yaml", "--quiet").status == 0)
    try (atCap + "#").write(toFile: dir + "/over.yaml", atomically: false, encoding: .utf8)
    expectBadInput(cmdqv("run", dir + "/over.yaml"), containing: "larger than 1048576 bytes")
  }

  @Test func guestTaggedWriteOutsideItsPage0IsAnAccessFault() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let text = "name: g\nsteps:\n  - boot:\n  - write:\n      offset: 0x0\n      value: 0\n      as: guest:1\n"
      + "  - expect_register:\n      name: CMDQV_CONFIG\n      value: 0x00020083\n  - expect_fault:\n      kind: access\n      count: 1\n"
    try text.write(toFile: dir + "/g.yaml", atomically: false, encoding: .utf8)
    let r = cmdqv("run", dir + "/g.yaml")
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("outside-guest-window"), "\(r.stdout)")
  }
}
