import Testing

@testable import RegisterMapKit

/// Seeded mutants of a small valid map through the whole loader (YAML,
/// schema, validation) and, when one loads, the generators: never a crash,
/// every diagnostic positioned inside the text, bounded output.
@Suite struct SchemaFuzzTests {
  static let seed = """
    map: m
    swift_name: M
    description: d
    blocks:
      - name: B
        offset: 0x100
        aperture: a
        swift_name: MB
        accessor: b
        dimensions:
          - label: U
            count: 4
            stride: 0x10
        description: b
        registers:
          - name: R
            swift_name: MR
            offset: 0x0
            width: 64
            source: s
            description: r
            fields:
              - name: F
                bits: 3:0
                access: rw
                description: f

    """

  /// Replacements that aim at the limits: extreme numbers, keywords,
  /// colliding names, odd syntax.
  static let tokens = [
    "0", "1", "4", "0x8", "0x102", "0xFFFF_FFFF", "0x1_0000_0000", "0x10_0000", "0x10_0001", "0x7FFF_FFFF_FFFF_FFFF",
    "18446744073709551616", "-1", "DEFAULT", "self", "init", "A__B", "A_B", "_1", "Register", "String", "rawValue",
    "info", "\"x\"", "[1, 2]", "{}", "", ":", "- ", "#", "&a", "*a", "63:0", "64:0", "1000", "32", "48",
  ]

  @Test func tenThousandMutantsNeverCrashAndStayPositioned() {
    var rng = SplitMix64(seed: 0xC0FF_EE00)
    let lines = Self.seed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var loaded = 0, rejected = 0
    for round in 0..<10_000 {
      var mutant = lines
      for _ in 0..<Int.random(in: 1...3, using: &rng) {
        let i = Int.random(in: 0..<mutant.count, using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
          // Replace the value after the key with a hostile token.
          if let colon = mutant[i].firstIndex(of: ":") {
            mutant[i] = mutant[i][...colon] + " " + Self.tokens.randomElement(using: &rng)!
          }
        case 1: mutant[i] = mutant[i].replacingOccurrences(of: "  ", with: " ")
        case 2: mutant.insert(mutant[Int.random(in: 0..<mutant.count, using: &rng)], at: i)
        default: mutant.remove(at: i)
        }
      }
      let text = mutant.joined(separator: "\n")
      let lineCount = mutant.count + 1
      do {
        let map = try RegisterMapLoader.load(text: text, file: "f.yaml")
        loaded += 1
        // Generating is the slow part: every 16th valid mutant is enough.
        guard loaded % 16 == 0 else { continue }
        let generated = SwiftGenerator.generate([map])
        if generated.values.reduce(0, { $0 + $1.utf8.count }) >= 200_000 { Issue.record("round \(round): huge output") }
      } catch {
        rejected += 1
        if error.diagnostics.isEmpty { Issue.record("round \(round): no diagnostic") }
        // Plain checks (an #expect per diagnostic would dominate the run time).
        for d in error.diagnostics
        where !(d.mark.file == "f.yaml" && d.mark.line >= 1 && d.mark.line <= lineCount && d.mark.column >= 1)
          || d.message.utf8.count >= 1000
        {
          Issue.record("round \(round): \(String(describing: d).prefix(300))\n\(text)")
        }
      }
    }
    #expect(loaded > 100, "the mutants should not all be invalid")
    #expect(rejected > 1000)
  }
}
