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
  /// Whether `base` is this value's own allocation (not a window lent by
  /// ``init(borrowing:capacity:)``).
  private var owned = true

  init(capacity: Int = 512) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  /// Encodes into `capacity` bytes at `base` that someone else owns (a
  /// ``TraceBuffer``'s free space, so a record needs no copy). Should a
  /// record outgrow them, the bytes move to storage of the line's own,
  /// which the caller then frees with ``deallocate()`` (`base` differs
  /// from the one lent).
  init(borrowing base: UnsafeMutablePointer<UInt8>, capacity: Int) {
    self.base = base
    self.capacity = capacity
    owned = false
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
    if owned { base.deallocate() }
    owned = true
    base = storage
    capacity = c
  }

  mutating func byte(_ b: UInt8) {
    if count == capacity { grow(to: count + 1) }
    base[count] = b
    count += 1
  }

  mutating func append(_ chunk: UnsafeBufferPointer<UInt8>) {
    guard let start = chunk.baseAddress, chunk.count > 0 else { return }
    if count + chunk.count > capacity { grow(to: count + chunk.count) }
    copySmall(UnsafeRawPointer(start), chunk.count)
  }

  /// Copies `n` bytes to the end (room already made).
  private mutating func copySmall(_ source: UnsafeRawPointer, _ n: Int) {
    copyBytes(from: source, to: UnsafeMutableRawPointer(base + count), count: n)
    count += n
  }

  /// ASCII/UTF-8 literal text (keys, punctuation, fixed words).
  mutating func text(_ s: StaticString) {
    guard s.hasPointerRepresentation else {
      s.withUTF8Buffer { append($0) }
      return
    }
    let n = s.utf8CodeUnitCount
    if count + n > capacity { grow(to: count + n) }
    copySmall(UnsafeRawPointer(s.utf8Start), n)
  }

  /// `,"name":` (a JSON key after the first).
  mutating func key(_ name: StaticString) {
    guard name.hasPointerRepresentation else {
      byte(0x2C)
      byte(0x22)
      text(name)
      byte(0x22)
      byte(0x3A)
      return
    }
    let n = name.utf8CodeUnitCount
    if count + n + 4 > capacity { grow(to: count + n + 4) }
    base[count] = 0x2C
    base[count + 1] = 0x22
    count += 2
    copySmall(UnsafeRawPointer(name.utf8Start), n)
    base[count] = 0x22
    base[count + 1] = 0x3A
    count += 2
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
    // At most 20 digits: reserve them, count, then write two at a time from the right.
    if count + 20 > capacity { grow(to: count + 20) }
    // The digit count from the bit length (log10 2 ≈ 1233 / 4096), one
    // more where the value reaches the next power of ten.
    let approx = ((64 - value.leadingZeroBitCount) &* 1233) >> 12
    let n = approx &+ (value >= Self.powersOfTen[approx] ? 1 : 0)
    let pairs = Self.digitPairs.utf8Start
    var v = value
    var i = count + n
    while v >= 100 {
      let r = Int(truncatingIfNeeded: v % 100)
      v /= 100
      i -= 2
      base[i] = pairs[2 * r]
      base[i + 1] = pairs[2 * r + 1]
    }
    if v >= 10 {
      base[i - 2] = pairs[2 * Int(v)]
      base[i - 1] = pairs[2 * Int(v) + 1]
    } else {
      base[i - 1] = 0x30 &+ UInt8(truncatingIfNeeded: v)
    }
    count += n
  }

  /// 10^0 … 10^19, for counting decimal digits.
  private static let powersOfTen: [UInt64] = (0..<20).map { (0..<$0).reduce(1) { r, _ in r * 10 } }

  /// `00` … `99`, for writing decimal digits in pairs.
  private static let digitPairs: StaticString =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

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

  /// Binary digits, most significant first, no leading zeros (`0` for 0).
  mutating func binary(_ value: UInt64) {
    let n = max(64 - value.leadingZeroBitCount, 1)
    let groups = (n + 7) / 8
    // Whole groups of 8 digits from the top of the value shifted to the
    // top; the bytes after its `n` digits are scratch beyond `count`.
    if count + groups * 8 > capacity { grow(to: count + groups * 8) }
    let top = value << UInt64(64 - n)
    let target = UnsafeMutableRawPointer(base + count)
    for g in 0..<groups {
      let bits = UInt8(truncatingIfNeeded: top >> UInt64(56 - 8 * g))
      target.storeBytes(of: Self.binaryDigits(bits).littleEndian, toByteOffset: 8 * g, as: UInt64.self)
    }
    count += n
  }

  /// The 8 binary digits of `b` as bytes in reading order (first digit in
  /// the low byte): `b` in every byte, each byte masked to its own bit,
  /// the bit carried to bit 7 and shifted down, then `'0'` added.
  private static func binaryDigits(_ b: UInt8) -> UInt64 {
    let x = (UInt64(b) &* 0x0101_0101_0101_0101) & 0x0102_0408_1020_4080
    return ((x &+ 0x7F7F_7F7F_7F7F_7F7F) >> 7) & 0x0101_0101_0101_0101 | 0x3030_3030_3030_3030
  }

  /// `0x1f`: lowercase, minimal digits (``Hex/minimal(_:)``).
  mutating func hex(_ value: UInt64) {
    if count + 18 > capacity { grow(to: count + 18) }
    let target = UnsafeMutableRawPointer(base + count)
    target.storeBytes(of: UInt16(0x7830).littleEndian, as: UInt16.self)  // 0x
    count &+= 2 &+ hexDigits(value, at: target + 2)
  }

  /// The minimal lowercase hex digits of `value` stored at `target`, as
  /// one or two words of 8 (the bytes after the digits are scratch, so 16
  /// must be free); returns how many are digits.
  private func hexDigits(_ value: UInt64, at target: UnsafeMutableRawPointer) -> Int {
    let n = value == 0 ? 1 : (67 &- value.leadingZeroBitCount) >> 2
    let top = value &<< UInt64(64 &- 4 &* n)
    target.storeBytes(of: Self.hexWord(UInt32(truncatingIfNeeded: top >> 32)).littleEndian, as: UInt64.self)
    if n > 8 {
      target.storeBytes(of: Self.hexWord(UInt32(truncatingIfNeeded: top)).littleEndian, toByteOffset: 8, as: UInt64.self)
    }
    return n
  }

  /// `0x0000001f`: at least `digits` digits (``Hex/padded(_:digits:)``).
  mutating func paddedHex(_ value: UInt64, digits: Int) {
    let n = value == 0 ? 1 : (67 - value.leadingZeroBitCount) / 4
    let width = max(n, digits)
    // The 16 digits of the value shifted to the top are written whole; the
    // bytes after its `n` digits are scratch beyond `count`.
    if count + 2 + width + 16 > capacity { grow(to: count + 2 + width + 16) }
    base[count] = 0x30
    base[count + 1] = 0x78
    // Leading zeros eight at a time (the room above covers the overshoot).
    var z = 0
    while z < width - n {
      UnsafeMutableRawPointer(base + count + 2 + z).storeBytes(of: 0x3030_3030_3030_3030 as UInt64, as: UInt64.self)
      z += 8
    }
    let i = count + 2 + width - n
    let top = value << UInt64(64 - 4 * n)
    let target = UnsafeMutableRawPointer(base + i)
    target.storeBytes(of: Self.hexWord(UInt32(truncatingIfNeeded: top >> 32)).littleEndian, as: UInt64.self)
    if n > 8 {
      target.storeBytes(of: Self.hexWord(UInt32(truncatingIfNeeded: top)).littleEndian, toByteOffset: 8, as: UInt64.self)
    }
    count = i + n
  }

  /// The 8 lowercase hex digits of `v` as bytes in reading order (first
  /// digit in the low byte): each nibble spread to its own byte, then
  /// `'0'` added, plus `'a' - '0' - 10` where the nibble is 10 or more.
  private static func hexWord(_ v: UInt32) -> UInt64 {
    var x = UInt64(v)
    x = (x | x << 16) & 0x0000_FFFF_0000_FFFF
    x = (x | x << 8) & 0x00FF_00FF_00FF_00FF
    x = (x | x << 4) & 0x0F0F_0F0F_0F0F_0F0F
    let letters = ((x &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
    // letters × 0x27 by shifts (each byte is 0 or 1, so nothing carries).
    x = x &+ 0x3030_3030_3030_3030 &+ (letters << 5 | letters << 2 | letters << 1 | letters)
    return x.byteSwapped
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
    if count + 20 > capacity { grow(to: count + 20) }
    let target = UnsafeMutableRawPointer(base + count)
    target.storeBytes(of: UInt32(0x0078_3022).littleEndian, as: UInt32.self)  // "0x (the 4th byte is a digit's)
    let n = hexDigits(value, at: target + 3)
    target.storeBytes(of: 0x22 as UInt8, toByteOffset: 3 &+ n, as: UInt8.self)
    count &+= 4 &+ n
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

/// Copies `n` bytes between non-overlapping ranges, by whole words where it
/// can, reading and writing only inside both ranges: keys, literals, names,
/// a queue's cached record pieces and short trace lines are a few words,
/// for which a `memmove` call or a byte loop costs more than the copy.
/// Longer runs go to `memmove`.
func copyBytes(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count n: Int) {
  if n > 128 {
    target.copyMemory(from: source, byteCount: n)
  } else if n >= 8 {
    var i = 0
    while i + 8 <= n {
      target.storeBytes(of: source.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
      i += 8
    }
    if i < n {  // the last word again, overlapping what was copied
      target.storeBytes(
        of: source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
    }
  } else if n >= 4 {
    target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
    target.storeBytes(
      of: source.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
  } else {
    for i in 0..<n {
      target.storeBytes(of: source.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self)
    }
  }
}
