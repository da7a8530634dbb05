/// Hex formatting shared by the text and JSON renderings, so both spell a
/// value the same way (lowercase, `0x` prefix).
enum Hex {
  /// `0x1f`: minimal digits.
  static func minimal<T: BinaryInteger>(_ value: T) -> String { "0x" + String(value, radix: 16) }

  /// `0x0000001f`: zero-padded to `digits` (at most 16, a UInt64's digits).
  static func padded(_ value: UInt64, digits: Int) -> String {
    let s = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, min(16, digits) - s.count)) + s
  }

  /// Parses `0x…` (1–16 hex digits) back into a value.
  static func parse(_ text: String) -> UInt64? {
    guard text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
    let digits = text.dropFirst(2)
    guard !digits.isEmpty, digits.count <= 16 else { return nil }
    return UInt64(digits, radix: 16)
  }
}
