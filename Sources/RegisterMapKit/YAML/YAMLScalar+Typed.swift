/// Typed readings of a scalar, used by the schema. The subset has no implicit
/// typing, so these are strict: a quoted scalar is never a number or a bool.
extension YAMLScalar {
  /// The scalar as an unsigned integer that fits in `bits` bits (1...64).
  ///
  /// Accepts decimal, `0x` hex, `0b` binary and `0o` octal (lowercase
  /// prefixes), with `_` allowed between digits (`0x1_0000`). Rejects quoted
  /// scalars, signs, empty digits, misplaced underscores, and decimal numbers
  /// with leading zeros (`010`, which YAML 1.1 reads as octal).
  public func integer(bits: Int) throws(Diagnostic) -> UInt64 {
    guard style == .plain else {
      throw Diagnostic("expected an integer, got a quoted string; write the number without quotes", at: mark)
    }
    if text.isEmpty { throw Diagnostic("expected an integer, got an empty value", at: mark) }
    var scalars = Array(text.unicodeScalars)
    if scalars[0] == "-" || scalars[0] == "+" {
      throw Diagnostic("expected a non-negative integer without a sign, got '\(text)'", at: mark)
    }

    var radix: UInt64 = 10
    if scalars.count >= 2 && scalars[0] == "0" {
      switch scalars[1] {
      case "x": radix = 16
      case "b": radix = 2
      case "o": radix = 8
      default: break
      }
      if radix != 10 { scalars.removeFirst(2) }
    }
    let radixName = [16: "hex", 2: "binary", 8: "octal", 10: "decimal"][Int(radix)] ?? "decimal"

    if scalars.isEmpty { throw Diagnostic("'\(text)' has no digits after its prefix", at: mark) }
    if scalars.first == "_" || scalars.last == "_" || zip(scalars, scalars.dropFirst()).contains(where: { $0 == "_" && $1 == "_" }) {
      throw Diagnostic("misplaced '_' in '\(text)': underscores may only separate digits", at: mark)
    }
    let digits = scalars.filter { $0 != "_" }
    if let bad = digits.first(where: { (Self.digitValue($0) ?? radix) >= radix }) {
      throw Diagnostic("expected an integer, got '\(text)' ('\(bad)' is not a \(radixName) digit)", at: mark)
    }
    if radix == 10 && digits.count > 1 && digits[0] == "0" {
      throw Diagnostic(
        "leading zeros are not allowed in '\(text)' (YAML 1.1 reads it as octal); write it without them, or use 0o for octal",
        at: mark)
    }

    let width = min(max(bits, 0), 64)
    let tooWide = Diagnostic("\(text) does not fit in \(width) bits", at: mark)
    var value: UInt64 = 0
    for d in digits {
      let v = Self.digitValue(d) ?? 0  // validated above
      let (shifted, o1) = value.multipliedReportingOverflow(by: radix)
      let (sum, o2) = shifted.addingReportingOverflow(v)
      if o1 || o2 { throw tooWide }
      value = sum
    }
    if width < 64 && value >> UInt64(width) != 0 { throw tooWide }
    return value
  }

  private static func digitValue(_ c: Unicode.Scalar) -> UInt64? {
    switch c {
    case "0"..."9": UInt64(c.value - 0x30)
    case "a"..."f": UInt64(c.value - 0x61 + 10)
    case "A"..."F": UInt64(c.value - 0x41 + 10)
    default: nil
    }
  }

  /// `true` or `false`, unquoted. YAML 1.1 spellings (yes/no/on/off/y/n) are
  /// rejected by name because readers disagree about them.
  public func bool() throws(Diagnostic) -> Bool {
    guard style == .plain else {
      throw Diagnostic("expected true or false, got a quoted string; write it without quotes", at: mark)
    }
    switch text {
    case "true": return true
    case "false": return false
    default:
      let legacy = ["yes", "no", "on", "off", "y", "n", "true", "false"]
      if legacy.contains(text.lowercased()) {
        throw Diagnostic("'\(text)' is not a boolean here; write true or false", at: mark)
      }
      throw Diagnostic("expected true or false, got '\(text)'", at: mark)
    }
  }

  /// The text, whatever the style: any scalar can be read as a string.
  public func string() -> String { text }
}
