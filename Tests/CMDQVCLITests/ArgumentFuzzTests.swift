import Testing

@testable import CMDQVCLI

/// Seeded argument lines through every subcommand's parser and the number
/// and pattern checks: a result or one usage error, never a crash; then a
/// smaller sample through the whole `cmdqv` main, none of which runs a
/// scenario.
@Suite struct ArgumentFuzzTests {
  static let words = [
    "run", "regs", "decode", "trace", "step", "show", "diff", "help", "--format", "--map", "--all", "-q", "--quiet",
    "--trace", "--cycles", "--context", "--context=", "--frmat", "-x", "-", "--", "=", "--x=", "0x", "0x1", "0x50080",
    "0x1_0000_0000", "0b102", "-1", "99999999999999999999999", "VINTF*", "*_?", "[", "", "\u{0}", "é", "jsonl", "vcd",
    "tegra241-cmdqv", "smmuv3", "--version", "-h",
  ]
  static let parsers = [
    RunCommand.parser, RegsCommand.parser, DecodeCommand.parser, StepCommand.parser, TraceCommand.showParser,
    TraceCommand.diffParser,
  ]

  @Test func tenThousandArgumentLinesParseOrFailWithOneMessage() {
    var rng = SplitMix64Args(seed: 0xA4C5_0001)
    var failures = 0
    for round in 0..<10_000 {
      let args = (0..<Int.random(in: 0...5, using: &rng)).map { _ in Self.words.randomElement(using: &rng)! }
      let parser = Self.parsers.randomElement(using: &rng)!
      do {
        let parsed = try parser.parse(args)
        // What the commands do next with values: numbers and patterns.
        for value in parsed.values.values + parsed.positionals {
          _ = try? NumberArgument.parse(value, what: "N", bits: 32, command: parser.command)
        }
      } catch {
        failures += 1
        let text = error.rendered
        if text.isEmpty || text.contains("\n") || text.utf8.count > 500 || !text.hasPrefix("cmdqv \(parser.command): error: ") {
          Issue.record("round \(round) \(args): \(text)")
        }
      }
    }
    #expect(failures > 1000)
  }

  @Test func wholeCommandLinesNeverCrash() {
    var rng = SplitMix64Args(seed: 0xA4C5_0002)
    // Words that never start a scenario run (no `run`/`step`, no leading option).
    let safe = ["regs", "decode", "trace", "help", "show", "diff", "--all", "--map", "smmuv3", "0x0", "0x50080", "VINTF1_*",
                "--context", "7", "-", "--", "--version", "-h", "nope", "/nonexistent"]
    for round in 0..<400 {
      var args = (0..<Int.random(in: 1...4, using: &rng)).map { _ in safe.randomElement(using: &rng)! }
      if args[0].hasPrefix("-") && args[0] != "--version" && args[0] != "-h" { args[0] = "regs" }
      let r = cmdqv(arguments: args)
      if ![0, 1, 2].contains(r.status) || (r.status == 2 && r.stderrLines.count != 1) {
        Issue.record("round \(round) \(args): status \(r.status)\n\(r.stderr)")
      }
    }
  }
}

struct SplitMix64Args: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
