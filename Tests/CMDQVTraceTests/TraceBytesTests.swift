import Testing

@testable import CMDQVTrace

/// The writers' number and literal encoders against the standard library's
/// formatting, at the edges (0, one digit, every digit count, all ones) and
/// on seeded random values.
@Suite struct TraceBytesTests {
  static let edges: [UInt64] =
    [0, 1, 9, 10, 15, 16, 99, 100, 255, 256, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, .max, .max - 1]
    + (0..<64).map { UInt64(1) << UInt64($0) } + (1...19).map { (0..<$0).reduce(UInt64(1)) { v, _ in v &* 10 } }
    + (1...19).map { (0..<$0).reduce(UInt64(1)) { v, _ in v &* 10 } - 1 }

  static var values: [UInt64] {
    var g = SeededGenerator(seed: 0x5EED)
    return edges + (0..<2000).map { _ in g.next() >> UInt64(g.next() % 64) }
  }

  private func encoded(_ body: (inout TraceBytes) -> Void) -> String {
    var b = TraceBytes(capacity: 16)
    defer { b.deallocate() }
    b.text("<")  // something before, so writes relative to `count` are exercised
    body(&b)
    b.text(">")
    return b.string
  }

  @Test func hexMatchesTheStandardLibrary() {
    for v in Self.values {
      #expect(encoded { $0.hex(v) } == "<0x" + String(v, radix: 16) + ">", "\(v)")
      #expect(encoded { $0.jsonHex(v) } == "<\"0x" + String(v, radix: 16) + "\">", "\(v)")
      let digits = String(v, radix: 16)
      for width in [1, 8, 16, 20] {
        let padded = String(repeating: "0", count: max(width - digits.count, 0)) + digits
        #expect(encoded { $0.paddedHex(v, digits: width) } == "<0x" + padded + ">", "\(v) width \(width)")
      }
    }
  }

  @Test func decimalAndBinaryMatchTheStandardLibrary() {
    for v in Self.values {
      #expect(encoded { $0.decimal(v) } == "<\(v)>")
      #expect(encoded { $0.binary(v) } == "<" + String(v, radix: 2) + ">")
    }
    #expect(encoded { $0.decimal(-42) } == "<-42>")
    #expect(encoded { $0.decimal(Int.min) } == "<\(Int.min)>")
  }

  @Test func aBorrowedLineThatOutgrowsItsRoomMovesWithItsBytes() {
    let lent = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
    defer { lent.deallocate() }
    var b = TraceBytes(borrowing: lent, capacity: 16)
    b.text("{\"v\":")
    #expect(b.base == lent)
    b.decimal(UInt64.max)
    b.jsonHex(0x1234_5678_9ABC)
    #expect(b.base != lent)
    #expect(b.string == "{\"v\":\(UInt64.max)\"0x123456789abc\"")
    b.deallocate()  // the line's own storage; the lent bytes stay the lender's
  }

  @Test func literalsAndKeysOfEveryLength() {
    // Lengths 0…140 cover the byte, 4-byte and 8-byte word paths, the
    // overlapping last word and `memmove` beyond 128 bytes.
    let source = String(repeating: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH", count: 4)
    for n in 0...140 {
      let s = String(source.prefix(n))
      var copy = s
      #expect(encoded { b in copy.withUTF8 { b.append($0) } } == "<" + s + ">", "length \(n)")
    }
    #expect(encoded { $0.text("") } == "<>")
    #expect(encoded { $0.text("x") } == "<x>")
    #expect(encoded { $0.text("{\"v\":") } == "<{\"v\":>")
    #expect(encoded { $0.key("cons") } == "<,\"cons\":>")
    #expect(encoded { $0.key("a_longer_key_than_eight") } == "<,\"a_longer_key_than_eight\":>")
  }
}
