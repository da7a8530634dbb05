/// A reusable byte line that trace writers encode records into: numbers,
/// hex and JSON strings are appended digit by digit, so encoding a record
/// allocates nothing once the storage has grown to the longest line.
struct TraceBytes {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

  var count: Int { bytes.count }

  mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

  mutating func byte(_ b: UInt8) { bytes.append(b) }

  /// ASCII/UTF-8 literal text (keys, punctuation, fixed words).
  mutating func text(_ s: StaticString) {
    s.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }

  /// Any string's UTF-8, unescaped (names that never need escaping).
  mutating func utf8(_ s: String) {
    var s = s
    s.withUTF8 { bytes.append(contentsOf: $0) }
  }

  /// Decimal digits.
  mutating func decimal(_ value: UInt64) {
    if value < 10 {
      bytes.append(0x30 &+ UInt8(value))
      return
    }
    var digits: (UInt64, Int) = (value, 0)
    var tmp = value
    while tmp > 0 {
      digits.1 += 1
      tmp /= 10
    }
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0x30, count: digits.1))
    var v = digits.0
    var i = start + digits.1 - 1
    while v > 0 {
      bytes[i] = 0x30 &+ UInt8(v % 10)
      v /= 10
      i -= 1
    }
  }

  mutating func decimal(_ value: Int) {
    if value < 0 {
      bytes.append(0x2D)
      decimal(UInt64(value.magnitude))
    } else {
      decimal(UInt64(value))
    }
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// `0x1f`: lowercase, minimal digits (``Hex/minimal(_:)``).
  mutating func hex(_ value: UInt64) { paddedHex(value, digits: 1) }

  /// `0x0000001f`: at least `digits` digits (``Hex/padded(_:digits:)``).
  mutating func paddedHex(_ value: UInt64, digits: Int) {
    bytes.append(0x30)
    bytes.append(0x78)
    var n = 1
    while n < 16 && value >> UInt64(4 * n) != 0 { n += 1 }
    if digits > n { bytes.append(contentsOf: repeatElement(0x30, count: digits - n)) }
    var shift = 4 * (n - 1)
    while shift >= 0 {
      bytes.append(Self.hexDigits[Int(value >> UInt64(shift) & 0xF)])
      shift -= 4
    }
  }

  /// `"…"` with quotes, backslashes and control characters escaped,
  /// everything else as UTF-8 (``TraceRecord/appendJSONString(_:to:)``).
  mutating func jsonString(_ s: String) {
    bytes.append(0x22)
    var s = s
    s.withUTF8 { buffer in
      for b in buffer {
        switch b {
        case 0x22: bytes.append(0x5C); bytes.append(0x22)
        case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
        case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
        case 0x0D: bytes.append(0x5C); bytes.append(0x72)
        case 0x09: bytes.append(0x5C); bytes.append(0x74)
        case 0..<0x20:
          text("\\u00")
          bytes.append(Self.hexDigits[Int(b >> 4)])
          bytes.append(Self.hexDigits[Int(b & 0xF)])
        default: bytes.append(b)
        }
      }
    }
    bytes.append(0x22)
  }

  /// `"0x…"`: a hex JSON string.
  mutating func jsonHex(_ value: UInt64) {
    bytes.append(0x22)
    hex(value)
    bytes.append(0x22)
  }

  /// Free text kept on one line: CR and LF written as `\r`, `\n`
  /// (``TraceRecord/oneLine(_:)``).
  mutating func oneLine(_ s: String) {
    var s = s
    s.withUTF8 { buffer in
      for b in buffer {
        switch b {
        case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
        case 0x0D: bytes.append(0x5C); bytes.append(0x72)
        default: bytes.append(b)
        }
      }
    }
  }

  var string: String { String(decoding: bytes, as: UTF8.self) }
}
