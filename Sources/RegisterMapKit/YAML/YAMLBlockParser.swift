/// Builds the node tree from ``YAMLLine``s by indentation. Structural errors
/// stop the parse (thrown); duplicate keys and bad escapes are collected so a
/// file with several of them reports all at once.
struct YAMLBlockParser {
  private var lines: [YAMLLine]
  private var index = 0
  private var depth = 0
  private var inline: YAMLInlineScanner
  private let file: String
  /// Non-fatal problems, reported with any fatal one.
  var diagnostics: [Diagnostic] { inline.diagnostics + duplicateKeys }
  private var duplicateKeys: [Diagnostic] = []

  /// Deep enough for any register map, shallow enough to never exhaust the stack.
  private static let maxDepth = 100

  init(lines: [YAMLLine], file: String) {
    self.lines = lines
    self.file = file
    self.inline = YAMLInlineScanner(file: file)
  }

  /// Parses the whole document (at least one line). The root may be indented;
  /// every later line must then match an open block.
  mutating func parseDocument() throws(Diagnostic) -> YAMLNode {
    let root = try parseBlockNode()
    if index < lines.count {
      let line = lines[index]
      throw Diagnostic(
        "bad indentation: this line's indentation matches no open block", at: mark(line, line.indent))
    }
    return root
  }

  private func mark(_ line: YAMLLine, _ offset: Int) -> Mark {
    Mark(file: file, line: line.number, column: offset + 1)
  }

  /// True if a `- ` sequence item starts at the line's current indent.
  private func isSequenceItem(_ line: YAMLLine) -> Bool {
    line[line.indent] == "-" && (line[line.indent + 1] == nil || YAMLLine.isBlank(line[line.indent + 1]))
  }

  /// A node that starts its own line (or mid-line after `- `): a block
  /// sequence or a block mapping. A lone scalar on its own line is not part of
  /// the subset; scalars go on their key's (or dash's) line.
  private mutating func parseBlockNode() throws(Diagnostic) -> YAMLNode {
    depth += 1
    defer { depth -= 1 }
    let line = lines[index]
    if depth > Self.maxDepth { throw Diagnostic("nesting too deep", at: mark(line, line.indent)) }
    if isSequenceItem(line) { return .sequence(try parseBlockSequence(indent: line.indent, sharesParentIndent: false)) }
    return .mapping(try parseBlockMapping(indent: line.indent))
  }

  /// After a block node ends, a line indented deeper than its parent (but not
  /// deep enough for the node) matches no open block.
  private func checkDedent(parentIndent: Int) throws(Diagnostic) {
    guard index < lines.count else { return }
    let line = lines[index]
    if line.indent > parentIndent {
      throw Diagnostic("bad indentation: this line's indentation matches no open block", at: mark(line, line.indent))
    }
  }

  /// After an inline value, the next line must not be indented deeper.
  private func checkNoContinuation(parentIndent: Int, value: YAMLNode) throws(Diagnostic) {
    guard index < lines.count else { return }
    let line = lines[index]
    guard line.indent > parentIndent else { return }
    if case .scalar(let s) = value, s.style == .plain, !startsMappingEntry(line, at: line.indent) {
      throw Diagnostic(
        "multi-line plain scalars are not supported; keep the value on one line or quote it", at: mark(line, line.indent))
    }
    throw Diagnostic(
      "bad indentation: this line is indented deeper but no key above opens a block", at: mark(line, line.indent))
  }

  private mutating func parseBlockMapping(indent: Int) throws(Diagnostic) -> YAMLMapping {
    var entries: [YAMLMapping.Entry] = []
    var firstMark: [String: Mark] = [:]
    var mappingMark: Mark?

    while index < lines.count {
      let line = lines[index]
      if line.indent < indent { break }
      if line.indent > indent {
        throw Diagnostic("bad indentation: this line is indented deeper but no key above opens a block", at: mark(line, line.indent))
      }
      if isSequenceItem(line) {
        throw Diagnostic("expected a 'key: value' here, not a sequence item", at: mark(line, indent))
      }

      let (key, afterKey) = try parseKey(line, at: indent)
      mappingMark = mappingMark ?? key.mark
      if let first = firstMark[key.text] {
        duplicateKeys.append(
          Diagnostic("duplicate key '\(key.text)'", at: key.mark, related: first, relatedMessage: "first defined here"))
      } else {
        firstMark[key.text] = key.mark
      }

      // afterKey is just past the ':'.
      let valueStart = line.skipBlanks(from: afterKey)
      let value: YAMLNode
      if !line.isEndOfContent(at: valueStart) {
        value = try parseInlineValue(line, at: valueStart)
        index += 1
        try checkNoContinuation(parentIndent: indent, value: value)
      } else {
        index += 1
        value = try parseNestedValue(parentIndent: indent, emptyMark: mark(line, afterKey), allowSameIndentSequence: true)
      }
      if firstMark[key.text] == key.mark { entries.append(YAMLMapping.Entry(key: key, value: value)) }
    }
    // Only reached with at least one entry: the caller saw a content line here.
    return YAMLMapping(entries: entries, mark: mappingMark ?? Mark(file: file, line: 1, column: 1))
  }

  /// The value of `key:` or `-` with nothing after it on the line: a block on
  /// the following lines, or else an empty plain scalar (the subset's null;
  /// the schema decides whether an empty value is allowed).
  private mutating func parseNestedValue(parentIndent: Int, emptyMark: Mark, allowSameIndentSequence: Bool)
    throws(Diagnostic) -> YAMLNode
  {
    guard index < lines.count else { return .scalar(YAMLScalar(text: "", mark: emptyMark)) }
    let next = lines[index]
    if next.indent > parentIndent {
      if !isSequenceItem(next) && startsScalarNotKey(next, at: next.indent) {
        throw Diagnostic(
          "a scalar or flow sequence must start on the same line as its key or '-'", at: mark(next, next.indent))
      }
      let node = try parseBlockNode()
      try checkDedent(parentIndent: parentIndent)
      return node
    }
    // YAML lets a mapping's sequence value sit at the key's own indentation.
    if allowSameIndentSequence && next.indent == parentIndent && isSequenceItem(next) {
      return .sequence(try parseBlockSequence(indent: parentIndent, sharesParentIndent: true))
    }
    return .scalar(YAMLScalar(text: "", mark: emptyMark))
  }

  /// Parses `key:` at `offset`; returns the key and the offset past the colon.
  private mutating func parseKey(_ line: YAMLLine, at offset: Int) throws(Diagnostic) -> (YAMLScalar, Int) {
    let (key, end) = try inline.scanKey(line, at: offset)
    let colon = line.skipBlanks(from: end)
    guard line[colon] == ":", line[colon + 1] == nil || YAMLLine.isBlank(line[colon + 1]) else {
      if key.style == .plain {
        throw Diagnostic("expected 'key: value': '\(key.text)' is missing its ':'", at: key.mark)
      }
      throw Diagnostic("expected ': ' (a colon and a space) after the quoted key", at: mark(line, colon))
    }
    if key.style == .plain {
      if key.text.isEmpty { throw Diagnostic("missing key before ':'", at: mark(line, colon)) }
      if !Self.isIdentifier(key.text) {
        throw Diagnostic("key '\(key.text)' is not a plain identifier; quote it", at: key.mark)
      }
    }
    return (key, colon + 1)
  }

  /// Plain keys: ASCII letters, digits, `_`, `-`, `.`, `/`, not starting with
  /// `-` or `.` (so they never look like a sequence item or `...`).
  static func isIdentifier(_ text: String) -> Bool {
    var first = true
    for c in text.unicodeScalars {
      defer { first = false }
      switch c {
      case "a"..."z", "A"..."Z", "0"..."9", "_": continue
      case "-", ".", "/": if first { return false }
      default: return false
      }
    }
    return !text.isEmpty
  }

  /// A value on the key's (or dash's) line: a flow sequence or a scalar, and
  /// nothing but a comment after it.
  private mutating func parseInlineValue(_ line: YAMLLine, at offset: Int) throws(Diagnostic) -> YAMLNode {
    let node: YAMLNode
    let end: Int
    if line[offset] == "[" {
      let (seq, e) = try inline.scanFlowSequence(line, at: offset)
      (node, end) = (.sequence(seq), e)
    } else {
      let (scalar, e) = try inline.scanScalar(line, at: offset, context: .block, allowColon: false)
      (node, end) = (.scalar(scalar), e)
    }
    let rest = line.skipBlanks(from: end)
    if !line.isEndOfContent(at: rest) {
      if line[rest] == ":" {
        throw Diagnostic("mapping values are not allowed here (a key must be on its own line or after '- ')", at: mark(line, rest))
      }
      throw Diagnostic("unexpected text after the value", at: mark(line, rest))
    }
    return node
  }

  /// `- item` lines at `indent`. With `sharesParentIndent` (the sequence sits
  /// at its parent key's indentation) the first non-item line at `indent`
  /// ends it and belongs to the parent mapping.
  private mutating func parseBlockSequence(indent: Int, sharesParentIndent: Bool) throws(Diagnostic) -> YAMLSequence {
    var items: [YAMLNode] = []
    let sequenceMark = mark(lines[index], indent)
    while index < lines.count {
      let line = lines[index]
      if line.indent < indent { break }
      if line.indent > indent {
        throw Diagnostic("bad indentation: this line is indented deeper but no item above opens a block", at: mark(line, line.indent))
      }
      if !isSequenceItem(line) {
        if sharesParentIndent { break }
        throw Diagnostic("expected a sequence item ('- ') at this indentation", at: mark(line, indent))
      }
      items.append(try parseSequenceItem(line, dash: indent))
    }
    return YAMLSequence(items: items, mark: sequenceMark)
  }

  /// One `- ...` item; `index` is at its line.
  private mutating func parseSequenceItem(_ line: YAMLLine, dash: Int) throws(Diagnostic) -> YAMLNode {
    var content = dash + 1
    while line[content] == " " { content += 1 }
    if line[content] == "\t" {
      throw Diagnostic("tab in indentation; use spaces", at: mark(line, content))
    }
    if line.isEndOfContent(at: content) {
      index += 1
      return try parseNestedValue(parentIndent: dash, emptyMark: mark(line, dash + 1), allowSameIndentSequence: false)
    }
    // `- - x` and `- key: value` open a block at the item's content column;
    // later lines of that block align with it.
    if isSequenceItemAt(line, content) || (line[content] != "[" && startsMappingEntry(line, at: content)) {
      lines[index].indent = content
      let node = try parseBlockNode()
      try checkDedent(parentIndent: dash)
      return node
    }
    let value = try parseInlineValue(line, at: content)
    index += 1
    try checkNoContinuation(parentIndent: dash, value: value)
    return value
  }

  private func isSequenceItemAt(_ line: YAMLLine, _ offset: Int) -> Bool {
    line[offset] == "-" && (line[offset + 1] == nil || YAMLLine.isBlank(line[offset + 1]))
  }

  /// True if a well-formed scalar (or a `[`) that is not a key starts at
  /// `offset`: a value the author put on the line after its key.
  private func startsScalarNotKey(_ line: YAMLLine, at offset: Int) -> Bool {
    if line[offset] == "[" { return true }
    var probe = YAMLInlineScanner(file: file)
    guard (try? probe.scanKey(line, at: offset)) != nil else { return false }
    return !startsMappingEntry(line, at: offset)
  }

  /// True if a key followed by `:` starts at `offset`. Scanning errors are
  /// ignored here; the real parse reports them.
  private func startsMappingEntry(_ line: YAMLLine, at offset: Int) -> Bool {
    var probe = YAMLInlineScanner(file: file)
    guard let (_, end) = try? probe.scanKey(line, at: offset) else { return false }
    let colon = line.skipBlanks(from: end)
    return line[colon] == ":" && (line[colon + 1] == nil || YAMLLine.isBlank(line[colon + 1]))
  }
}
