import Testing

@testable import RegisterMapKit

@Suite struct YAMLScalarTypedTests {
  private func plain(_ text: String) -> YAMLScalar { YAMLScalar(text: text, mark: at(3, 7)) }

  @Test(arguments: [
    ("0", 0), ("7", 7), ("4096", 4096), ("1_000", 1000),
    ("0x0", 0), ("0x10", 16), ("0xFFff", 0xFFFF), ("0x1_0000", 0x1_0000), ("0xffff_ffff", 0xFFFF_FFFF),
    ("0b101", 5), ("0b1111_0000", 0xF0), ("0o17", 15),
  ] as [(String, UInt64)])
  func acceptsIntegers(_ text: String, _ expected: UInt64) throws {
    #expect(try plain(text).integer(bits: 32) == expected)
  }

  @Test func sixtyFourBitBoundaries() throws {
    #expect(try plain("0xffff_ffff_ffff_ffff").integer(bits: 64) == UInt64.max)
    #expect(try plain("18446744073709551615").integer(bits: 64) == UInt64.max)
    #expect(try plain("0b1").integer(bits: 1) == 1)
  }

  @Test(arguments: [
    ("0x1_0000_0000", 32, "0x1_0000_0000 does not fit in 32 bits"),
    ("4294967296", 32, "does not fit in 32 bits"),
    ("0x1_0000_0000_0000_0000", 64, "does not fit in 64 bits"),
    ("18446744073709551616", 64, "does not fit in 64 bits"),
    ("0b10", 1, "does not fit in 1 bits"),
    ("-1", 32, "without a sign"),
    ("+1", 32, "without a sign"),
    ("", 32, "empty value"),
    ("0x", 32, "no digits"),
    ("0b", 32, "no digits"),
    ("0x_10", 32, "misplaced '_'"),
    ("10_", 32, "misplaced '_'"),
    ("1__0", 32, "misplaced '_'"),
    ("_1", 32, "misplaced '_'"),
    ("010", 32, "leading zeros"),
    ("00", 32, "leading zeros"),
    ("0x1g", 32, "'g' is not a hex digit"),
    ("0b102", 32, "'2' is not a binary digit"),
    ("12abc", 32, "'a' is not a decimal digit"),
    ("0X10", 32, "'X' is not a decimal digit"),
    ("ten", 32, "expected an integer"),
    ("1.5", 32, "expected an integer"),
  ] as [(String, Int, String)])
  func rejectsIntegers(_ text: String, _ bits: Int, _ fragment: String) {
    #expect {
      try plain(text).integer(bits: bits)
    } throws: { error in
      guard let d = error as? Diagnostic else { return false }
      return d.mark == at(3, 7) && d.message.contains(fragment)
    }
  }

  @Test func quotedScalarsAreNotIntegersOrBools() {
    let quoted = YAMLScalar(text: "16", style: .singleQuoted, mark: at(1, 4))
    #expect(throws: Diagnostic("expected an integer, got a quoted string; write the number without quotes", at: at(1, 4))) {
      try quoted.integer(bits: 32)
    }
    let quotedBool = YAMLScalar(text: "true", style: .doubleQuoted, mark: at(1, 4))
    #expect(throws: Diagnostic.self) { try quotedBool.bool() }
    #expect(quotedBool.string() == "true")
  }

  @Test func integersFromParsedDocument() throws {
    guard let root = mapping(parseOK("offset: 0x1_0000\nwidth: 0x1_0000_0000\n")),
      case .scalar(let offset)? = root["offset"], case .scalar(let width)? = root["width"]
    else { return }
    #expect(try offset.integer(bits: 32) == 0x1_0000)
    #expect(throws: Diagnostic("0x1_0000_0000 does not fit in 32 bits", at: at(2, 8))) {
      try width.integer(bits: 32)
    }
  }

  @Test func bools() throws {
    #expect(try plain("true").bool())
    #expect(try !plain("false").bool())
  }

  @Test(arguments: ["yes", "no", "on", "off", "y", "n", "Yes", "TRUE", "False", "ON"])
  func legacyBoolsAreRejected(_ text: String) {
    #expect(throws: Diagnostic("'\(text)' is not a boolean here; write true or false", at: at(3, 7))) {
      try plain(text).bool()
    }
  }

  @Test(arguments: ["", "1", "0", "truex", "nil"])
  func otherBoolsAreRejected(_ text: String) {
    #expect(throws: Diagnostic("expected true or false, got '\(text)'", at: at(3, 7))) {
      try plain(text).bool()
    }
  }
}
