import Testing

@testable import RegisterMapKit

/// A deterministic generator (SplitMix64) so fuzz failures reproduce.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite struct YAMLFuzzTests {
  static let seedDocument = """
    ---
    # CMDQV register map excerpt
    name: CMDQV
    base: 0x1_0000
    blocks:
      - name: global
        registers:
        - name: CONFIG
          offset: 0x0
          reset: 0
          fields:
            - name: en
              bits: [0, 0]
              doc: 'enable ''all'' queues'
            - name: status
              bits: [1, 3]
              doc: "status \\x41 \\u00e9 # not a comment"
      - name: vintf
        count: 64
        empty:
        tags: []
    """

  static let alphabet: [Unicode.Scalar] = Array(":-[]{}'\"#&*!|> \t\n\r,?%@\\x".unicodeScalars)

  @Test func seedDocumentParses() {
    #expect(parseOK(Self.seedDocument) != nil)
  }

  /// Random deletions and insertions must never crash, and every diagnostic
  /// must point inside the text.
  @Test func mutationsNeverCrashAndMarksStayInBounds() {
    var rng = SplitMix64(seed: 0x5EED_C0DE)
    let original = Array(Self.seedDocument.unicodeScalars)
    var parsedCount = 0
    for iteration in 0..<10_000 {
      var text = original
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let position = Int.random(in: 0...text.count, using: &rng)
        if Bool.random(using: &rng), position < text.count {
          text.remove(at: position)
        } else {
          text.insert(Self.alphabet.randomElement(using: &rng)!, at: position)
        }
      }
      var view = String.UnicodeScalarView()
      view.append(contentsOf: text)
      let source = String(view)
      do {
        _ = try YAMLParser.parse(source, file: "fuzz.yaml")
        parsedCount += 1
      } catch {
        if error.diagnostics.isEmpty { Issue.record("iteration \(iteration): no diagnostic") }
        let lines = normalisedLines(source)
        // Plain checks: an #expect per diagnostic would dominate the run time.
        for d in error.diagnostics {
          let inBounds = d.mark.line >= 1 && d.mark.line <= lines.count && d.mark.column >= 1
            && d.mark.column <= lines[d.mark.line - 1] + 1
          if !inBounds || d.mark.file != "fuzz.yaml" {
            Issue.record("iteration \(iteration): \(d) out of bounds in:\n\(source)")
          }
        }
      }
    }
    // Some mutations (a space in a comment, say) keep the document valid.
    #expect(parsedCount > 0)
  }

  /// Scalar count of each line after CRLF/CR normalisation (BOM-free input).
  private func normalisedLines(_ text: String) -> [Int] {
    var counts = [0]
    var previousWasCR = false
    for c in text.unicodeScalars {
      if c == "\n" {
        if !previousWasCR { counts.append(0) }
        previousWasCR = false
      } else if c == "\r" {
        counts.append(0)
        previousWasCR = true
      } else {
        counts[counts.count - 1] += 1
        previousWasCR = false
      }
    }
    return counts
  }
}
