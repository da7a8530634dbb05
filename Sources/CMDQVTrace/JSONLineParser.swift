/// A small strict JSON parser for one line of a JSON Lines file. It exists
/// (instead of JSONSerialization) to report the column of an error and to keep
/// integers exact; it never traps on any input.
struct JSONLineParser {
  private let bytes: [UInt8]
  private var i = 0
  private var depth = 0
  /// Nesting deeper than this is an error, not a stack overflow.
  static let maxDepth = 64

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Parses the whole line as one value; only whitespace may follow it.
  static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
    var p = JSONLineParser(bytes)
    p.skipSpace()
    let v = try p.value()
    p.skipSpace()
    if p.i < p.bytes.count { throw p.error("unexpected \(p.describe(p.bytes[p.i])) after the JSON value") }
    return v
  }

  private var column: Int { i + 1 }

  private func error(_ message: String, at col: Int? = nil) -> JSONSyntaxError {
    JSONSyntaxError(column: col ?? column, message: message)
  }

  private func describe(_ b: UInt8) -> String {
    b >= 0x21 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
  }

  private mutating func skipSpace() {
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
  }

  private mutating func value() throws(JSONSyntaxError) -> JSONValue {
    guard i < bytes.count else { throw error("expected a value, found end of line") }
    let start = column
    switch bytes[i] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string(), column: start)
    case UInt8(ascii: "t"): try literal("true"); return .bool(true, column: start)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false, column: start)
    case UInt8(ascii: "n"): try literal("null"); return .null(column: start)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw error("expected a value, found \(describe(bytes[i]))")
    }
  }

  private mutating func literal(_ word: String) throws(JSONSyntaxError) {
    for b in word.utf8 {
      guard i < bytes.count, bytes[i] == b else { throw error("invalid literal (expected '\(word)')") }
      i += 1
    }
  }

  private mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth)") }
  }

  private mutating func object() throws(JSONSyntaxError) -> JSONValue {
    let start = column
    try enter()
    i += 1
    var members: [(key: String, keyColumn: Int, value: JSONValue)] = []
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
      i += 1
      depth -= 1
      return .object(members, column: start)
    }
    while true {
      skipSpace()
      guard i < bytes.count else { throw error("unterminated object (expected a key)") }
      guard bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key, found \(describe(bytes[i]))") }
      let keyColumn = column
      let key = try string()
      skipSpace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
      i += 1
      skipSpace()
      members.append((key, keyColumn, try value()))
      skipSpace()
      guard i < bytes.count else { throw error("unterminated object (expected ',' or '}')") }
      if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
      if bytes[i] == UInt8(ascii: "}") { i += 1; break }
      throw error("expected ',' or '}', found \(describe(bytes[i]))")
    }
    depth -= 1
    return .object(members, column: start)
  }

  private mutating func array() throws(JSONSyntaxError) -> JSONValue {
    let start = column
    try enter()
    i += 1
    var items: [JSONValue] = []
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
      i += 1
      depth -= 1
      return .array(items, column: start)
    }
    while true {
      skipSpace()
      items.append(try value())
      skipSpace()
      guard i < bytes.count else { throw error("unterminated array (expected ',' or ']')") }
      if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
      if bytes[i] == UInt8(ascii: "]") { i += 1; break }
      throw error("expected ',' or ']', found \(describe(bytes[i]))")
    }
    depth -= 1
    return .array(items, column: start)
  }

  private mutating func number() throws(JSONSyntaxError) -> JSONValue {
    let start = i
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    func digits() -> Int {
      let s = i
      while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
      return i - s
    }
    let intDigits = digits()
    guard intDigits > 0 else { throw error("invalid number (no digits)", at: start + 1) }
    if intDigits > 1, bytes[i - intDigits] == UInt8(ascii: "0") { throw error("invalid number (leading zero)", at: start + 1) }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard digits() > 0 else { throw error("invalid number (no digits after '.')") }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { throw error("invalid number (no exponent digits)") }
    }
    return .number(String(decoding: bytes[start..<i], as: UTF8.self), column: start + 1)
  }

  /// A string starting at the opening quote; validates UTF-8 and escapes.
  private mutating func string() throws(JSONSyntaxError) -> String {
    let start = column
    i += 1
    var scalars = String.UnicodeScalarView()
    var run: [UInt8] = []
    func flush() throws(JSONSyntaxError) {
      guard !run.isEmpty else { return }
      guard let s = String(validating: run, as: UTF8.self) else { throw error("invalid UTF-8 in string", at: start) }
      scalars.append(contentsOf: s.unicodeScalars)
      run.removeAll(keepingCapacity: true)
    }
    while true {
      guard i < bytes.count else { throw error("unterminated string", at: start) }
      let b = bytes[i]
      if b == UInt8(ascii: "\"") { i += 1; break }
      if b < 0x20 { throw error("control character \(describe(b)) in string (escape it)") }
      if b != UInt8(ascii: "\\") {
        // A run of plain bytes is copied at once (long strings stay linear and fast).
        var end = i + 1
        while end < bytes.count, bytes[end] >= 0x20, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") {
          end += 1
        }
        run.append(contentsOf: bytes[i..<end])
        i = end
        continue
      }
      try flush()
      i += 1
      guard i < bytes.count else { throw error("unterminated escape", at: start) }
      let e = bytes[i]
      i += 1
      switch e {
      case UInt8(ascii: "\""): scalars.append("\"")
      case UInt8(ascii: "\\"): scalars.append("\\")
      case UInt8(ascii: "/"): scalars.append("/")
      case UInt8(ascii: "b"): scalars.append("\u{8}")
      case UInt8(ascii: "f"): scalars.append("\u{C}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"):
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code) {
          guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
            throw error("unpaired surrogate \\u\(String(code, radix: 16))")
          }
          i += 2
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate") }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw error("invalid code point \\u\(String(code, radix: 16))") }
        scalars.append(scalar)
      default: throw error("invalid escape '\\\(describe(e))'", at: column - 2)
      }
    }
    try flush()
    return String(scalars)
  }

  private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    var v: UInt32 = 0
    for _ in 0..<4 {
      guard i < bytes.count, let d = Self.hexDigit(bytes[i]) else { throw error("expected 4 hex digits after \\u") }
      v = v << 4 | d
      i += 1
    }
    return v
  }

  private static func hexDigit(_ b: UInt8) -> UInt32? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
    default: nil
    }
  }
}
