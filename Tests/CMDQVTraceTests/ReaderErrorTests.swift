import Testing

@testable import CMDQVTrace

@Suite struct ReaderErrorTests {
  private let good = #"{"v":1,"seq":1,"cycle":0,"kind":"note","text":"ok"}"#

  private func expectError(
    _ line: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    do {
      _ = try JSONLinesReader.read(string: good + "\n\n" + line + "\n" + good, path: "run.jsonl")
      Issue.record("no error for \(line)", sourceLocation: sourceLocation)
    } catch let error as TraceReadError {
      #expect(error.description == expected, sourceLocation: sourceLocation)
    } catch {
      Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test func malformedLinesReportPathLineAndColumn() {
    expectError(#"{"v":1,"seq":1,"cycle":2}"#, #"run.jsonl:3:1: error: missing required key "kind""#)
    expectError(
      #"{"v":1,"seq":1,"cycle":2,"kind":"mmio_w","value":5}"#,
      #"run.jsonl:3:50: error: key "value" must be a hex string "0x…", found number"#)
    expectError(
      #"{"v":1,"seq":1,"cycle":2,"kind":"mmio_w","value":"0x1FFFFFFFFFFFFFFFF"}"#,
      #"run.jsonl:3:50: error: key "value" must be a hex string "0x…" of 1-16 digits, found "0x1FFFFFFFFFFFFFFFF""#)
    expectError(#"{"seq": 1,"#, "run.jsonl:3:11: error: unterminated object (expected a key)")
    expectError("not json", "run.jsonl:3:2: error: invalid literal (expected 'null')")
    expectError("[1,2]", "run.jsonl:3:1: error: expected a JSON object, found array")
    expectError(#"{"v":3,"seq":1,"cycle":2,"kind":"note"}"#, "run.jsonl:3:6: error: unsupported schema version (this reader reads v 1-2)")
    expectError(
      #"{"v":2,"seq":1,"cycle":2,"kind":"mmio_w","offset":4352}"#,
      #"run.jsonl:3:51: error: key "offset" must be a hex string "0x…", found number"#)
    expectError(
      #"{"v":2,"seq":1,"cycle":2,"kind":"mmio_w","fields":["A: 0->1"]}"#,
      #"run.jsonl:3:51: error: key "fields" must be an object, found array"#)
    expectError(
      #"{"v":1,"seq":1,"cycle":2,"kind":"mmio_w","fields":["A 0->1"]}"#,
      #"run.jsonl:3:52: error: key "fields" entries must read "NAME: old->new", found "A 0->1""#)
    expectError(
      #"{"v":1,"seq":1,"cycle":2,"kind":"blip"}"#,
      #"run.jsonl:3:33: error: unknown kind "blip" (expected one of mmio_r, mmio_w, cmd, cmd_err, state, fault, violation, irq, inject, note, step)"#)
    expectError(#"{"v":1,"seq":-1,"cycle":2,"kind":"note"}"#, #"run.jsonl:3:14: error: key "seq" must be a non-negative integer, found -1"#)
    expectError(#"{"v":1,"seq":1,"seq":2,"cycle":2,"kind":"note"}"#, #"run.jsonl:3:16: error: duplicate key "seq""#)
    expectError(#"{"v":1,"seq":1,"cycle":2,"kind":"note"} x"#, "run.jsonl:3:41: error: unexpected 'x' after the JSON value")
    expectError(#"{"v":1,"seq":1,"cycle":2,"kind":"note","text":"a\qb"}"#, #"run.jsonl:3:49: error: invalid escape '\'q''"#)
    expectError(String(repeating: "[", count: 100), "run.jsonl:3:65: error: nesting deeper than 64")
  }

  @Test func aMissingFileIsAnError() {
    #expect(throws: TraceReadError(path: "/nonexistent/trace.jsonl", line: 0, column: 0, message: "cannot open file for reading")) {
      try JSONLinesReader.read(path: "/nonexistent/trace.jsonl")
    }
    #expect(
      TraceReadError(path: "p", line: 0, column: 0, message: "cannot open file for reading").description
        == "p: error: cannot open file for reading")
  }

  @Test func crlfAndBlankLinesAreAccepted() throws {
    let records = try JSONLinesReader.read(string: good + "\r\n   \r\n" + good + "\r\n")
    #expect(records.count == 2)
  }

  @Test func randomGarbageNeverCrashes() {
    var rng = SeededGenerator(seed: 0x7ACE)
    let alphabet = Array(#"{}[]:,"\ 0123456789-+.eEabfnrtuxvseqkindcycle0x"#.utf8) + [0x00, 0x0D, 0xC3, 0xFF, 0xE2, 0x80]
    let seeds = Fixture.everyKind().map { Array(TraceRecord($0).jsonLine.utf8) }
    let hostile = [
      "\"width\":40000000000,", "\"width\":7,", "\"vintf\":64,", "\"value\":\"0x1ffffffffffffffff\",",
      "18446744073709551616", "-1", "\"dwords\":[],", "\"sid\":4294967296,", "9999999999999999999999",
    ]
    var failures = 0, successes = 0
    for round in 0..<10_000 {
      var bytes: [UInt8]
      if round % 2 == 0 {
        bytes = (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
      } else {
        // Mutate a valid record: replace, insert or delete a few bytes.
        bytes = seeds.randomElement(using: &rng)!
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
          let at = Int.random(in: 0..<max(1, bytes.count), using: &rng)
          switch Int.random(in: 0..<4, using: &rng) {
          case 0 where !bytes.isEmpty: bytes[at] = alphabet.randomElement(using: &rng)!
          case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: min(at, bytes.count))
          case 2:
            // Out-of-range values and extra keys aimed at the range checks.
            let token = hostile.randomElement(using: &rng)!
            bytes.insert(contentsOf: token.utf8, at: min(at, bytes.count))
          default: if !bytes.isEmpty { bytes.remove(at: at) }
          }
        }
      }
      bytes.removeAll { $0 == 0x0A }
      let text = String(decoding: bytes, as: UTF8.self)
      do {
        _ = try JSONLinesReader.read(string: text, path: "fuzz")
        successes += 1
      } catch let error as TraceReadError {
        failures += 1
        // Plain checks: an #expect per round would dominate the run time.
        if error.line != 1 || error.column < 1 || error.column > text.utf8.count + 1
          || !error.description.hasPrefix("fuzz:1:\(error.column): error: ") || error.message.utf8.count >= 1000
        {
          Issue.record("round \(round): \(error)")
        }
      } catch {
        Issue.record("round \(round): unexpected error type \(error)")
      }
    }
    #expect(failures > 3000)
    #expect(successes > 0)
  }
}
