/// Scans the single-line pieces of the subset: quoted and plain scalars and
/// flow sequences of scalars. Nothing here spans lines: a quote or `[` left
/// open at the end of its line is an error.
struct YAMLInlineScanner {
  let file: String
  /// Problems that do not stop parsing (bad escapes), reported together.
  var diagnostics: [Diagnostic] = []

  init(file: String) { self.file = file }

  func mark(_ line: YAMLLine, _ offset: Int) -> Mark {
    Mark(file: file, line: line.number, column: offset + 1)
  }

  /// Where a plain scalar may stop: block context allows `,[]{}` inside.
  enum Context { case block, flow }

  /// Scans a key: a quoted scalar or a plain one (stops before `: `).
  /// Returns the scalar and the offset just past it.
  mutating func scanKey(_ line: YAMLLine, at offset: Int) throws(Diagnostic) -> (YAMLScalar, Int) {
    try scanScalar(line, at: offset, context: .block, allowColon: true)
  }

  /// Scans a scalar value starting at `offset`; rejects unsupported indicators.
  /// With `allowColon`, a plain scalar stops before `: ` (the caller checks for
  /// a key); without it, `: ` inside a plain value is an error: the subset
  /// rejects `a: b: c` like YAML does rather than guessing it is text.
  mutating func scanScalar(_ line: YAMLLine, at offset: Int, context: Context, allowColon: Bool) throws(Diagnostic)
    -> (YAMLScalar, Int)
  {
    guard let c = line[offset] else { throw Diagnostic("expected a value", at: mark(line, offset)) }
    switch c {
    case "'": return try scanSingleQuoted(line, at: offset)
    case "\"": return try scanDoubleQuoted(line, at: offset)
    case "[" where context == .flow:
      throw Diagnostic("nested flow collections are not supported", at: mark(line, offset))
    case "[":
      throw Diagnostic("a flow sequence cannot be a key", at: mark(line, offset))
    default: break
    }
    if let message = YAMLUnsupported.message(startingWith: c, next: line[offset + 1]) {
      throw Diagnostic(message, at: mark(line, offset))
    }
    if c == "-" && (line[offset + 1] == nil || YAMLLine.isBlank(line[offset + 1])) {
      throw Diagnostic("a block sequence item ('- ') is not allowed here", at: mark(line, offset))
    }
    return try scanPlain(line, at: offset, context: context, allowColon: allowColon)
  }

  private func scanPlain(_ line: YAMLLine, at start: Int, context: Context, allowColon: Bool) throws(Diagnostic)
    -> (YAMLScalar, Int)
  {
    var i = start
    var end = start  // one past the last non-blank scalar
    while let c = line[i] {
      if YAMLLine.isBlank(c) {
        if line[i + 1] == "#" { break }  // comment
        i += 1
        continue
      }
      if c == ":" && (line[i + 1] == nil || YAMLLine.isBlank(line[i + 1]) || (context == .flow && isFlowIndicator(line[i + 1]))) {
        if allowColon { break }
        throw Diagnostic(
          context == .flow
            ? "flow mappings are not supported; use a block mapping"
            : "mapping values are not allowed here (quote a value that contains ': ')",
          at: mark(line, i))
      }
      if context == .flow && isFlowIndicator(c) { break }
      i += 1
      end = i
    }
    return (YAMLScalar(text: line.text(start, end), style: .plain, mark: mark(line, start)), end)
  }

  private func isFlowIndicator(_ c: Unicode.Scalar?) -> Bool { c == "," || c == "[" || c == "]" || c == "{" || c == "}" }

  private func scanSingleQuoted(_ line: YAMLLine, at start: Int) throws(Diagnostic) -> (YAMLScalar, Int) {
    var text = String.UnicodeScalarView()
    var i = start + 1
    while let c = line[i] {
      if c == "'" {
        if line[i + 1] == "'" {  // '' is an escaped quote
          text.append("'")
          i += 2
          continue
        }
        return (YAMLScalar(text: String(text), style: .singleQuoted, mark: mark(line, start)), i + 1)
      }
      text.append(c)
      i += 1
    }
    throw Diagnostic("unterminated single-quoted string (quoted strings must close on the same line)", at: mark(line, start))
  }

  private mutating func scanDoubleQuoted(_ line: YAMLLine, at start: Int) throws(Diagnostic) -> (YAMLScalar, Int) {
    var text = String.UnicodeScalarView()
    var i = start + 1
    while let c = line[i] {
      if c == "\"" {
        return (YAMLScalar(text: String(text), style: .doubleQuoted, mark: mark(line, start)), i + 1)
      }
      if c != "\\" {
        text.append(c)
        i += 1
        continue
      }
      guard let e = line[i + 1] else { break }  // backslash at end of line: unterminated
      switch e {
      case "\\": text.append("\\")
      case "\"": text.append("\"")
      case "n": text.append("\n")
      case "t": text.append("\t")
      case "r": text.append("\r")
      case "0": text.append("\u{0}")
      case "x", "u":
        let count = e == "x" ? 2 : 4
        if let value = hexValue(line, from: i + 2, count: count), let scalar = Unicode.Scalar(value) {
          text.append(scalar)
          i += 2 + count
        } else {
          diagnostics.append(
            Diagnostic("invalid escape '\\\(e)': expected \(count) hex digits naming a Unicode scalar", at: mark(line, i)))
          i += 2
        }
        continue
      default:
        diagnostics.append(
          Diagnostic(
            "unknown escape '\\\(e)' in double-quoted string (allowed: \\\\ \\\" \\n \\t \\r \\0 \\xHH \\uHHHH)",
            at: mark(line, i)))
      }
      i += 2
    }
    throw Diagnostic("unterminated double-quoted string (quoted strings must close on the same line)", at: mark(line, start))
  }

  private func hexValue(_ line: YAMLLine, from: Int, count: Int) -> UInt32? {
    var value: UInt32 = 0
    for k in 0..<count {
      guard let c = line[from + k], let d = hexDigit(c) else { return nil }
      value = value << 4 | d
    }
    return value
  }

  private func hexDigit(_ c: Unicode.Scalar) -> UInt32? {
    switch c {
    case "0"..."9": c.value - 0x30
    case "a"..."f": c.value - 0x61 + 10
    case "A"..."F": c.value - 0x41 + 10
    default: nil
    }
  }

  /// Scans `[a, b, 0x10]` starting at the `[`. Items are scalars only; a
  /// trailing comma is allowed (as in YAML), an empty item is not.
  mutating func scanFlowSequence(_ line: YAMLLine, at start: Int) throws(Diagnostic) -> (YAMLSequence, Int) {
    var items: [YAMLNode] = []
    var i = line.skipBlanks(from: start + 1)
    let unterminated = "unterminated flow sequence: missing ']' (flow sequences must close on the same line)"
    while true {
      if line.isEndOfContent(at: i) { throw Diagnostic(unterminated, at: mark(line, start)) }
      if line[i] == "]" { break }
      if line[i] == "," { throw Diagnostic("empty item in flow sequence", at: mark(line, i)) }
      let (scalar, end) = try scanScalar(line, at: i, context: .flow, allowColon: false)
      items.append(.scalar(scalar))
      i = line.skipBlanks(from: end)
      if line.isEndOfContent(at: i) { throw Diagnostic(unterminated, at: mark(line, start)) }
      guard let c = line[i] else { throw Diagnostic(unterminated, at: mark(line, start)) }
      if c == "]" { break }
      if c == "," {
        i = line.skipBlanks(from: i + 1)
        continue
      }
      if c == ":" { throw Diagnostic("flow mappings are not supported; use a block mapping", at: mark(line, i)) }
      if c == "[" || c == "{" {
        throw Diagnostic("nested flow collections are not supported", at: mark(line, i))
      }
      throw Diagnostic("expected ',' or ']' in flow sequence", at: mark(line, i))
    }
    return (YAMLSequence(items: items, mark: mark(line, start), isFlow: true), i + 1)
  }
}
