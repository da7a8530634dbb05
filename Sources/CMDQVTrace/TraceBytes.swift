/// A reusable byte line that trace writers encode records into: numbers,
/// hex and JSON strings are appended digit by digit into storage of its own
/// (a raw buffer, so an append is a store, with no array uniqueness or
/// capacity bookkeeping), and encoding a record allocates nothing once the
/// storage has grown to the longest line.
///
/// Copies share the storage: the owner (a writer, or a function encoding one
/// line) keeps one value and calls ``deallocate()`` once.
struct TraceBytes {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int = 512) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  /// Frees the storage (the owner's last use).
  func deallocate() { base.deallocate() }

  /// The bytes so far.
  var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  var bytes: [UInt8] { Array(buffer) }

  mutating func removeAll() { count = 0 }

  private mutating func grow(to needed: Int) {
    var c = capacity * 2
    while c < needed { c *= 2 }
    let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
    storage.update(from: base, count: count)
    base.deallocate()
    base = storage
    capacity = c
  }

  mutating func byte(_ b: UInt8) {
    if count == capacity { grow(to: count + 1) }
    base[count] = b
    count += 1
  }

  /// `n` copies of `b`.
  private mutating func repeated(_ b: UInt8, _ n: Int) {
    guard n > 0 else { return }
    if count + n > capacity { grow(to: count + n) }
    (base + count).update(repeating: b, count: n)
    count += n
  }

  mutating func append(_ chunk: UnsafeBufferPointer<UInt8>) {
    guard let start = chunk.baseAddress, chunk.count > 0 else { return }
    if count + chunk.count > capacity { grow(to: count + chunk.count) }
    (base + count).update(from: start, count: chunk.count)
    count += chunk.count
  }

  /// ASCII/UTF-8 literal text (keys, punctuation, fixed words).
  mutating func text(_ s: StaticString) {
    s.withUTF8Buffer { append($0) }
  }

  /// Any string's UTF-8, unescaped (names that never need escaping).
  mutating func utf8(_ s: String) {
    var s = s
    s.withUTF8 { append($0) }
  }

  mutating func raw(_ b: [UInt8]) { b.withUnsafeBufferPointer { append($0) } }

  /// Decimal digits.
  mutating func decimal(_ value: UInt64) {
    if value < 10 {
      byte(0x30 &+ UInt8(value))
      return
    }
    var n = 0
    var tmp = value
    while tmp > 0 {
      n += 1
      tmp /= 10
    }
    if count + n > capacity { grow(to: count + n) }
    var v = value
    var i = count + n - 1
    while v > 0 {
      base[i] = 0x30 &+ UInt8(v % 10)
      v /= 10
      i -= 1
    }
    count += n
  }

  mutating func decimal(_ value: Int) {
    if value < 0 {
      byte(0x2D)
      decimal(UInt64(value.magnitude))
    } else {
      decimal(UInt64(value))
    }
  }

  /// `0`–`9`, `a`–`f` for 0…15.
  private static func hexDigit(_ v: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: v < 10 ? 0x30 + v : 0x57 + v) }

  /// `0x1f`: lowercase, minimal digits (``Hex/minimal(_:)``).
  mutating func hex(_ value: UInt64) { paddedHex(value, digits: 1) }

  /// `0x0000001f`: at least `digits` digits (``Hex/padded(_:digits:)``).
  mutating func paddedHex(_ value: UInt64, digits: Int) {
    var n = 1
    while n < 16 && value >> UInt64(4 * n) != 0 { n += 1 }
    let width = max(n, digits)
    if count + 2 + width > capacity { grow(to: count + 2 + width) }
    base[count] = 0x30
    base[count + 1] = 0x78
    count += 2
    repeated(0x30, width - n)
    var shift = 4 * (n - 1)
    while shift >= 0 {
      base[count] = Self.hexDigit(value >> UInt64(shift) & 0xF)
      count += 1
      shift -= 4
    }
  }

  /// `"…"` with quotes, backslashes and control characters escaped,
  /// everything else as UTF-8 (``TraceRecord/appendJSONString(_:to:)``).
  mutating func jsonString(_ s: String) {
    byte(0x22)
    var s = s
    s.withUTF8 { buffer in
      for b in buffer {
        switch b {
        case 0x22: byte(0x5C); byte(0x22)
        case 0x5C: byte(0x5C); byte(0x5C)
        case 0x0A: byte(0x5C); byte(0x6E)
        case 0x0D: byte(0x5C); byte(0x72)
        case 0x09: byte(0x5C); byte(0x74)
        case 0..<0x20:
          text("\\u00")
          byte(Self.hexDigit(UInt64(b >> 4)))
          byte(Self.hexDigit(UInt64(b & 0xF)))
        default: byte(b)
        }
      }
    }
    byte(0x22)
  }

  /// `"0x…"`: a hex JSON string.
  mutating func jsonHex(_ value: UInt64) {
    byte(0x22)
    hex(value)
    byte(0x22)
  }

  /// Free text kept on one line: CR and LF written as `\r`, `\n`
  /// (``TraceRecord/oneLine(_:)``).
  mutating func oneLine(_ s: String) {
    var s = s
    s.withUTF8 { buffer in
      for b in buffer {
        switch b {
        case 0x0A: byte(0x5C); byte(0x6E)
        case 0x0D: byte(0x5C); byte(0x72)
        default: byte(b)
        }
      }
    }
  }

  var string: String { String(decoding: buffer, as: UTF8.self) }
}
