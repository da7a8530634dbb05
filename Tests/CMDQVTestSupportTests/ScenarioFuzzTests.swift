import CMDQVTestSupport
import RegisterMapKit
import Testing

/// Seeded mutants of a small scenario through the parser: never a crash,
/// every diagnostic positioned inside the text and short.
@Suite struct ScenarioFuzzTests {
  static let seed = """
    name: f
    device:
      cycles_per_us: 10
    steps:
      - boot:
      - ioas:
          name: a
      - map:
          ioas: a
          iova: 0x1000
          length: 0x1000
          pa: 0x8000_0000
      - write:
          offset: 0x30004
          value: 1
          as: guest:1
      - step: 10

    """

  static let tokens = [
    "0", "1", "3", "0x4000_0000", "0x4000_0001", "0xFFFF_FFFF_FFFF_F000", "0xFFFF_FFFF_FFFF_FFFF",
    "18446744073709551616", "1_000_000_001", "-1", "guest:64", "guest:-1", "host", "trap", "EBUSSY", "[1, 2]",
    "\"x\"", "", ":", "- ", "#", "&a", "a", "0x", "0b2", "999999999999999999999999",
  ]

  @Test func tenThousandMutantsNeverCrashAndStayPositioned() {
    var rng = SplitMix64Scenario(seed: 0x5CE7_A410)
    let lines = Self.seed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var parsed = 0, rejected = 0
    for round in 0..<10_000 {
      var mutant = lines
      for _ in 0..<Int.random(in: 1...3, using: &rng) {
        let i = Int.random(in: 0..<mutant.count, using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
          if let colon = mutant[i].firstIndex(of: ":") {
            mutant[i] = mutant[i][...colon] + " " + Self.tokens.randomElement(using: &rng)!
          }
        case 1: mutant[i] = mutant[i].replacingOccurrences(of: "  ", with: " ")
        case 2: mutant.insert(mutant[Int.random(in: 0..<mutant.count, using: &rng)], at: i)
        default: mutant.remove(at: i)
        }
      }
      let text = mutant.joined(separator: "\n")
      do {
        _ = try ScenarioParser.parse(text: text, file: "f.yaml")
        parsed += 1
      } catch {
        rejected += 1
        if error.diagnostics.isEmpty { Issue.record("round \(round): no diagnostic") }
        // Plain checks: an #expect per diagnostic would dominate the run time.
        for d in error.diagnostics
        where d.mark.file != "f.yaml" || d.mark.line < 1 || d.mark.line > mutant.count + 1 || d.mark.column < 1
          || d.message.utf8.count >= 1000
        {
          Issue.record("round \(round): \(String(describing: d).prefix(300))\n\(text)")
        }
      }
    }
    #expect(parsed > 100)
    #expect(rejected > 1000)
  }
}

/// SplitMix64, seeded, so a failing mutant reproduces.
struct SplitMix64Scenario: RandomNumberGenerator {
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
