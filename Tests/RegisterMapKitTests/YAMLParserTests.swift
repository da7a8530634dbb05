import Testing

@testable import RegisterMapKit

@Suite struct YAMLParserAcceptTests {
  @Test func nestedMappingsKeepOrderAndMarks() {
    let text = """
      # header comment
      name: CMDQV   # trailing comment
      block:
        base: 0x1_0000

        size: 0x10000
      zeta: last
      """
    guard let root = mapping(parseOK(text)) else { return }
    #expect(root.mark == at(2, 1))
    #expect(root.entries.map(\.key.text) == ["name", "block", "zeta"])
    #expect(root.entries[1].key.mark == at(3, 1))
    expectScalar(root["name"], "CMDQV", line: 2, column: 7)
    guard let block = mapping(root["block"]) else { return }
    #expect(block.mark == at(4, 3))
    expectScalar(block["base"], "0x1_0000", line: 4, column: 9)
    expectScalar(block["size"], "0x10000", line: 6, column: 9)
    expectScalar(root["zeta"], "last", line: 7, column: 7)
  }

  @Test func listOfMappingsAtKeyIndentation() {
    let text = """
      fields:
      - name: en
        bits: [0, 0]
      - name: status
        bits: [1, 3]
      after: 1
      """
    guard let root = mapping(parseOK(text)) else { return }
    #expect(root.entries.map(\.key.text) == ["fields", "after"])
    guard let fields = sequence(root["fields"]) else { return }
    #expect(fields.mark == at(2, 1))
    #expect(!fields.isFlow)
    #expect(fields.items.count == 2)
    guard let second = mapping(fields.items[1]) else { return }
    #expect(second.mark == at(4, 3))
    expectScalar(second["name"], "status", line: 4, column: 9)
    guard let bits = sequence(second["bits"]) else { return }
    #expect(bits.isFlow)
    #expect(bits.mark == at(5, 9))
    expectScalar(bits.items[0], "1", line: 5, column: 10)
    expectScalar(bits.items[1], "3", line: 5, column: 13)
    expectScalar(root["after"], "1", line: 6, column: 8)
  }

  @Test func indentedListOfMappingsAndNestedSequences() {
    let text = """
      registers:
        - name: CONFIG
          offset: 0x0
        -
          name: STATUS
      matrix:
        - - a
          - b
        - - c
      """
    guard let root = mapping(parseOK(text)) else { return }
    guard let regs = sequence(root["registers"]) else { return }
    #expect(regs.mark == at(2, 3))
    #expect(regs.items.count == 2)
    expectScalar(mapping(regs.items[0])?["offset"], "0x0", line: 3, column: 13)
    expectScalar(mapping(regs.items[1])?["name"], "STATUS", line: 5, column: 11)
    guard let matrix = sequence(root["matrix"]) else { return }
    #expect(matrix.items.count == 2)
    guard let row0 = sequence(matrix.items[0]) else { return }
    #expect(row0.mark == at(7, 5))
    expectScalar(row0.items[0], "a", line: 7, column: 7)
    expectScalar(row0.items[1], "b", line: 8, column: 7)
    expectScalar(sequence(matrix.items[1])?.items[0], "c", line: 9, column: 7)
  }

  @Test func flowSequences() {
    let text = "a: [a, 'b c', \"d\", 0x10]\nb: []\nc: [x,]  # trailing comma\nd: [ spaced out , y ]\n"
    guard let root = mapping(parseOK(text)) else { return }
    guard let a = sequence(root["a"]) else { return }
    #expect(a.isFlow)
    expectScalar(a.items[0], "a", line: 1, column: 5)
    expectScalar(a.items[1], "b c", .singleQuoted, line: 1, column: 8)
    expectScalar(a.items[2], "d", .doubleQuoted, line: 1, column: 15)
    expectScalar(a.items[3], "0x10", line: 1, column: 20)
    #expect(sequence(root["b"])?.items.isEmpty == true)
    #expect(sequence(root["b"])?.mark == at(2, 4))
    #expect(sequence(root["c"])?.items.count == 1)
    expectScalar(sequence(root["d"])?.items[0], "spaced out", line: 4, column: 6)
  }

  @Test func quotedStringsAndComments() {
    let text = #"""
      single: 'it''s # not a comment'
      double: "tab\there \"q\" \\ \x41\u00e9\n\r\0"
      "quoted key": v
      'other key': w
      hash: a#b
      url: http://example.com/x
      unicode: "é" # 'é' is one column
      """#
    guard let root = mapping(parseOK(text)) else { return }
    expectScalar(root["single"], "it's # not a comment", .singleQuoted, line: 1, column: 9)
    expectScalar(root["double"], "tab\there \"q\" \\ Aé\n\r\u{0}", .doubleQuoted, line: 2, column: 9)
    #expect(root.entries[2].key.text == "quoted key")
    #expect(root.entries[2].key.style == .doubleQuoted)
    #expect(root.entries[3].key.style == .singleQuoted)
    expectScalar(root["quoted key"], "v", line: 3, column: 15)
    expectScalar(root["hash"], "a#b", line: 5, column: 7)
    expectScalar(root["url"], "http://example.com/x", line: 6, column: 6)
    expectScalar(root["unicode"], "é", .doubleQuoted, line: 7, column: 10)
  }

  @Test func columnsCountUnicodeScalars() {
    guard let root = mapping(parseOK("k: \"日本\"\nn: [é, x]\n")) else { return }
    expectScalar(sequence(root["n"])?.items[1], "x", line: 2, column: 8)
  }

  /// `key:` with nothing after it (and no block below) is an empty plain scalar.
  @Test func emptyValuesAreEmptyPlainScalars() {
    guard let root = mapping(parseOK("a:\nb: 1\nc:   # comment\nd:")) else { return }
    expectScalar(root["a"], "", line: 1, column: 3)
    expectScalar(root["c"], "", line: 3, column: 3)
    expectScalar(root["d"], "", line: 4, column: 3)
    guard let seq = sequence(mapping(parseOK("s:\n  -\n  - x\n"))?["s"]) else { return }
    expectScalar(seq.items[0], "", line: 2, column: 4)
  }

  @Test func documentStartCRLFAndBOM() {
    guard let root = mapping(parseOK("\u{FEFF}---\r\na: 1\r\nb:\r\n  - x\r\n")) else { return }
    expectScalar(root["a"], "1", line: 2, column: 4)
    expectScalar(sequence(root["b"])?.items[0], "x", line: 4, column: 5)
  }

  @Test func rootSequenceAndIndentedRoot() {
    guard let seq = sequence(parseOK("- a\n- b: 1\n  c: 2\n")) else { return }
    expectScalar(seq.items[0], "a", line: 1, column: 3)
    expectScalar(mapping(seq.items[1])?["c"], "2", line: 3, column: 6)
    expectScalar(mapping(parseOK("  a: 1\n  b: 2\n"))?["b"], "2", line: 2, column: 6)
  }

  @Test func sequenceAtKeyIndentationInsideAnItem() {
    let text = """
      - name: a
        values:
        - x
        - y
        after: z
      - name: b
      """
    guard let items = sequence(parseOK(text))?.items, items.count == 2 else { return }
    guard let first = mapping(items[0]) else { return }
    #expect(first.entries.map(\.key.text) == ["name", "values", "after"])
    expectScalar(sequence(first["values"])?.items[1], "y", line: 4, column: 5)
    expectScalar(mapping(items[1])?["name"], "b", line: 6, column: 9)
  }

  @Test func keysAllowIdentifierPunctuation() {
    guard let root = mapping(parseOK("a-b: 1\nc.d: 2\ne/f: 3\n_g9: 4\n0x10: 5\nkey : spaced\n")) else { return }
    #expect(root.entries.map(\.key.text) == ["a-b", "c.d", "e/f", "_g9", "0x10", "key"])
    expectScalar(root["key"], "spaced", line: 6, column: 7)
  }

  @Test func tabsAsSeparationInsideALineAreFine() {
    expectScalar(mapping(parseOK("a:\tx\t# c\n"))?["a"], "x", line: 1, column: 4)
  }
}

/// One malformed input and where its first diagnostic must point.
struct MalformedCase: CustomTestStringConvertible, Sendable {
  var name: String
  var text: String
  var line: Int
  var column: Int
  var fragment: String
  var testDescription: String { name }

  init(_ name: String, _ text: String, _ line: Int, _ column: Int, _ fragment: String) {
    (self.name, self.text, self.line, self.column, self.fragment) = (name, text, line, column, fragment)
  }
}

@Suite struct YAMLParserRejectTests {
  static let cases: [MalformedCase] = [
    .init("tab indentation", "a:\n\tb: 1\n", 2, 1, "tab in indentation; use spaces"),
    .init("tab after spaces", "a:\n  \tb: 1\n", 2, 3, "tab in indentation"),
    .init("tab after dash", "a:\n  -\tb\n", 2, 4, "tab in indentation"),
    .init("duplicate key", "a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a'"),
    .init("anchor", "a: &x 1\n", 1, 4, "anchors"),
    .init("alias", "a: 1\nb: *x\n", 2, 4, "aliases"),
    .init("tag", "a: !!str 1\n", 1, 4, "tags"),
    .init("local tag", "- !t x\n", 1, 3, "tags"),
    .init("literal block scalar", "a: |\n  text\n", 1, 4, "block scalars"),
    .init("folded block scalar", "a: >-\n  text\n", 1, 4, "block scalars"),
    .init("flow mapping", "a: {b: 1}\n", 1, 4, "flow mappings are not supported"),
    .init("flow mapping in flow sequence", "a: [b: 1]\n", 1, 6, "flow mappings are not supported"),
    .init("nested flow", "a: [1, [2]]\n", 1, 8, "nested flow collections are not supported"),
    .init("unterminated single quote", "a: 'abc\nb: 1\n", 1, 4, "unterminated single-quoted string"),
    .init("unterminated double quote", "a: \"abc", 1, 4, "unterminated double-quoted string"),
    .init("double quote ending in backslash", "a: \"abc\\", 1, 4, "unterminated double-quoted string"),
    .init("unterminated quoted key", "'a: 1\n", 1, 1, "unterminated single-quoted string"),
    .init("truncated flow sequence", "a:\n  - [1, 2", 2, 5, "unterminated flow sequence"),
    .init("truncated after comma", "a: [1, 2,\n", 1, 4, "unterminated flow sequence"),
    .init("empty flow item", "a: [1, , 2]\n", 1, 8, "empty item"),
    .init("multiple documents", "a: 1\n---\nb: 2\n", 2, 1, "multiple documents"),
    .init("document end", "a: 1\n...\n", 2, 1, "'...'"),
    .init("content on document start", "--- a: 1\n", 1, 5, "'---' line"),
    .init("directive", "%YAML 1.2\n---\na: 1\n", 1, 1, "directives"),
    .init("bad dedent", "a:\n    b: 1\n  c: 2\n", 3, 3, "matches no open block"),
    .init("bad dedent in sequence", "- a: 1\n   b: 2\n", 2, 4, "indented deeper"),
    .init("dedent below root", "  a: 1\nb: 2\n", 2, 1, "matches no open block"),
    .init("deeper without parent", "a: 'x'\n  b: 2\n", 2, 3, "indented deeper"),
    .init("key under scalar value", "a: 1\n  b: 2\n", 2, 3, "indented deeper"),
    .init("multi-line plain scalar", "a: hello\n  world\n", 2, 3, "multi-line plain scalars"),
    .init("multi-line plain item", "- hello\n  world\n", 2, 3, "multi-line plain scalars"),
    .init("key without colon", "a: 1\nb\n", 2, 1, "missing its ':'"),
    .init("root scalar", "hello\n", 1, 1, "missing its ':'"),
    .init("scalar on the line after its key", "a:\n  hello\n", 2, 3, "same line as its key"),
    .init("flow sequence on the line after a dash", "-\n  [1]\n", 2, 3, "same line as its key or '-'"),
    .init("colon without space", "a:b\n", 1, 1, "missing its ':'"),
    .init("quoted key without colon", "'a' 1\n", 1, 5, "expected ': '"),
    .init("quoted key without space after colon", "\"a\":1\n", 1, 4, "expected ': '"),
    .init("missing key", ": 1\n", 1, 1, "missing key"),
    .init("key with space", "a b: 1\n", 1, 1, "not a plain identifier"),
    .init("empty document", "", 1, 1, "empty document"),
    .init("comment-only document", "# nothing\n\n", 1, 1, "empty document"),
    .init("document start only", "---\n", 1, 1, "empty document"),
    .init("unknown escape", "a: \"x\\qy\"\n", 1, 6, "unknown escape '\\q'"),
    .init("bad hex escape", "a: \"\\xZZ\"\n", 1, 5, "expected 2 hex digits"),
    .init("surrogate escape", "a: \"\\uD800\"\n", 1, 5, "hex digits"),
    .init("complex key", "? a\n: b\n", 1, 1, "complex keys"),
    .init("mapping value in plain scalar", "a: b: c\n", 1, 5, "mapping values are not allowed"),
    .init("mapping after quoted value", "a: 'b': c\n", 1, 7, "mapping values are not allowed"),
    .init("text after quoted value", "a: 'x' y\n", 1, 8, "unexpected text"),
    .init("text after flow sequence", "a: [x] y\n", 1, 8, "unexpected text"),
    .init("sequence item in mapping", "a: 1\n- b\n", 2, 1, "not a sequence item"),
    .init("key in sequence", "a:\n  - x\n  b: 1\n", 3, 3, "expected a sequence item"),
    .init("dash inline after key", "a: - b\n", 1, 4, "block sequence item"),
    .init("reserved indicator", "a: @x\n", 1, 4, "reserved"),
    .init("control character", "a: 1\nb: \u{1}\n", 2, 4, "control character U+0001"),
    .init("flow sequence as key", "[a]: 1\n", 1, 1, "cannot be a key"),
  ]

  @Test(arguments: cases) func rejects(_ c: MalformedCase) {
    let diagnostics = parseErrors(c.text)
    guard let first = diagnostics.first else { return }
    #expect(first.mark == at(c.line, c.column), "\(first)")
    #expect(first.message.contains(c.fragment), "\(first)")
  }

  @Test func duplicateKeysAreAllReportedWithNotes() {
    let diagnostics = parseErrors("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    #expect(diagnostics.count == 2)
    #expect(diagnostics.map(\.mark) == [at(4, 3), at(5, 1)])
    #expect(diagnostics.map(\.related) == [at(3, 3), at(1, 1)])
    #expect(diagnostics.first?.description == "t.yaml:4:3: error: duplicate key 'c'\nt.yaml:3:3: note: first defined here")
  }

  @Test func lexicalProblemsAreAllReported() {
    let diagnostics = parseErrors("a:\n\tb: 1\n---\n\tc: 2\n")
    #expect(diagnostics.map(\.mark) == [at(2, 1), at(3, 1), at(4, 1)])
  }

  @Test func escapeErrorsAreCollectedWithStructuralError() {
    let diagnostics = parseErrors("a: \"\\q\"\nb: \"\\w\"\nc: &x\n")
    #expect(diagnostics.map(\.mark) == [at(1, 5), at(2, 5), at(3, 4)])
  }

  @Test func deepNestingIsAnErrorNotAStackOverflow() {
    let text = String(repeating: "- ", count: 500) + "x\n"
    let diagnostics = parseErrors(text)
    #expect(diagnostics.first?.message == "nesting too deep")
  }

  @Test func diagnosticListPrintsInFileOrder() {
    do {
      _ = try YAMLParser.parse("b: \"\\q\"\na: 1\na: 2\n", file: "regs.yaml")
      Issue.record("expected errors")
    } catch {
      #expect(
        error.description == """
          regs.yaml:1:5: error: unknown escape '\\q' in double-quoted string (allowed: \\\\ \\" \\n \\t \\r \\0 \\xHH \\uHHHH)
          regs.yaml:3:1: error: duplicate key 'a'
          regs.yaml:2:1: note: first defined here
          """)
    }
  }

  @Test func quotedKeysDuplicatePlainKeys() {
    let diagnostics = parseErrors("a: 1\n'a': 2\n")
    #expect(diagnostics.map(\.mark) == [at(2, 1)])
  }
}
