import Foundation
import Testing

@testable import RegisterMapKit

/// `validMap` with several replacements applied in order.
func mutate(_ pairs: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) -> String {
  var text = validMap
  for (old, new) in pairs {
    #expect(text.contains(old), "fixture does not contain \(old)", sourceLocation: sourceLocation)
    text = text.replacingOccurrences(of: old, with: new)
  }
  return text
}

/// Hostile register maps: sizes, alignment and Swift names. Each is one
/// positioned error, found without expanding instances.
@Suite struct HostileMapTests {
  static let regLine = "        width: 64\n"
  static let configReset = "reset: 0x3\n"

  static let cases: [MalformedMap] = [
    MalformedMap(
      name: "dimension count 2^46", text: mutate("count: 4", "count: 0x4000_0000_0000"), needle: "0x4000_0000_0000",
      fragment: "'count' in a dimension of block 'UNIT' must be in 0x1...0x100000, got 0x400000000000"),
    MalformedMap(name: "dimension count 0", text: mutate("count: 4", "count: 0"), needle: "count: 0", shift: 7, fragment: "must be in 0x1...0x100000, got 0x0"),
    MalformedMap(
      name: "dimension stride 2^36", text: mutate("stride: 0x10", "stride: 0x10_0000_0000"), needle: "0x10_0000_0000",
      fragment: "'stride' in a dimension of block 'UNIT' must be in 0x0...0x100000000"),
    MalformedMap(
      name: "block offset beyond 4 GiB", text: mutate("offset: 0x100", "offset: 0x1_0000_0000"), needle: "0x1_0000_0000",
      fragment: "'offset' in a block must be in 0x0...0xFFFFFFFF"),
    MalformedMap(
      name: "register offset beyond 4 GiB", text: mutate("offset: 0x0\n        width: 64", "offset: 0xF_FFFF_FFFF\n        width: 64"),
      needle: "0xF_FFFF_FFFF", fragment: "'offset' in a register of block 'UNIT' must be in 0x0...0xFFFFFFFF"),
    MalformedMap(
      name: "register count 2^21", text: mutate(regLine, regLine + "        count: 0x20_0000\n        stride: 8\n"),
      needle: "0x20_0000", fragment: "'count' in a register of block 'UNIT' must be in 0x1...0x100000"),
    MalformedMap(
      name: "register count 0", text: mutate(configReset, configReset + "        count: 0\n"), needle: "count: 0", shift: 7,
      fragment: "must be in 0x1...0x100000, got 0x0"),
    MalformedMap(
      name: "instances above 2^20",
      text: mutate([(regLine, regLine + "        count: 0x10_0000\n        stride: 8\n"), ("stride: 0x10", "stride: 0x80_0000")]),
      needle: "name: UNIT", fragment: "more than 1048576 register instances: block 'UNIT' (4 instance(s) of 1048576 registers)"),
    MalformedMap(
      name: "block instances past the aperture", text: mutate("stride: 0x10", "stride: 0x8000_0000"), needle: "name: UNIT",
      fragment: "block 'UNIT' instances end at 0x180000108, beyond the 0x100000000-byte aperture"),
    MalformedMap(
      name: "register instances past the aperture",
      text: mutate(configReset, configReset + "        count: 2\n        stride: 0x1_0000_0000\n"), needle: "name: CONFIG",
      fragment: "register 'TOP.CONFIG' ends at 0x100000004, beyond the 0x100000000-byte aperture"),
    MalformedMap(
      name: "block offset 0x102", text: mutate("offset: 0x100", "offset: 0x102"), needle: "name: UNIT",
      fragment: "block 'UNIT' at 0x102 is not aligned to its registers' 64-bit accesses (a multiple of 8)"),
    MalformedMap(
      name: "block offset 0x104 with 64-bit accesses", text: mutate("offset: 0x100", "offset: 0x104"), needle: "name: UNIT",
      fragment: "is not aligned to its registers' 64-bit accesses"),
    MalformedMap(
      name: "dimension stride 0x14", text: mutate("stride: 0x10", "stride: 0x14"), needle: "label: UNIT",
      fragment: "stride 0x14 of dimension 'UNIT' breaks the 64-bit alignment of block 'UNIT'"),
    MalformedMap(
      name: "dimension stride 0", text: mutate("stride: 0x10", "stride: 0"), needle: "label: UNIT",
      fragment: "stride 0x0 of dimension 'UNIT' is smaller than what it repeats"),
    MalformedMap(
      name: "register stride 0x42", text: mutate(configReset, configReset + "        count: 2\n        stride: 0x42\n"),
      needle: "name: CONFIG", fragment: "stride 66 of register 'TOP.CONFIG' breaks the 32-bit alignment"),
    MalformedMap(
      name: "enum value DEFAULT", text: mutate("- name: BAD", "- name: DEFAULT"), needle: "name: DEFAULT",
      fragment: "value 'DEFAULT' of enum 'CODE' becomes the Swift name 'default', which is a Swift keyword"),
    MalformedMap(
      name: "enum values A_BT and A__BT", text: mutate([("- name: NONE", "- name: A_BT"), ("- name: BAD", "- name: A__BT")]),
      needle: "name: A__BT", fragment: "'A__BT' and 'A_BT' both become 'aBt' in enum DemoCode"),
    MalformedMap(
      name: "enum value INFO", text: mutate("- name: BAD", "- name: INFO"), needle: "name: INFO",
      fragment: "becomes the Swift name 'info', which the generated code already uses"),
    MalformedMap(
      name: "enum value _1", text: mutate("- name: BAD", "- name: _1"), needle: "name: _1",
      fragment: "becomes the Swift name '1', which starts with a digit"),
    MalformedMap(
      name: "field SELF", text: mutate("- name: EN\n", "- name: SELF\n"), needle: "name: SELF",
      fragment: "field 'SELF' of CONFIG becomes the Swift name 'self', which is a Swift keyword"),
    MalformedMap(
      name: "field swift_name init", text: mutate("- name: MODE", "- name: MODE\n            swift_name: init"),
      needle: "name: MODE", fragment: "becomes the Swift name 'init', which is a Swift keyword"),
    MalformedMap(
      name: "field RAW_VALUE", text: mutate("- name: MODE", "- name: RAW_VALUE"), needle: "name: RAW_VALUE",
      fragment: "becomes the Swift name 'rawValue', which the generated code already uses"),
    MalformedMap(
      name: "field EN_CODE beside enum field EN",
      text: mutate([("- name: EN\n", "- name: EN\n            enum: CODE\n"), ("- name: MODE", "- name: EN_CODE")]),
      needle: "name: EN_CODE", fragment: "field 'EN_CODE' (Swift 'enCode') collides with the decoded accessor of enum field 'EN'"),
    MalformedMap(
      name: "register DEFAULT in a dimensioned block", text: mutate("- name: BASE", "- name: DEFAULT"), needle: "name: DEFAULT",
      fragment: "register 'UNIT.DEFAULT' becomes the Swift name 'default', which is a Swift keyword"),
    MalformedMap(
      name: "register BUS", text: mutate("- name: STATUS", "- name: BUS"), needle: "name: BUS",
      fragment: "register 'TOP.BUS' becomes the Swift name 'bus', which the generated code already uses"),
    MalformedMap(
      name: "registers CONFIG and CONFIG_", text: mutate("- name: STATUS", "- name: CONFIG_"), needle: "name: CONFIG_",
      fragment: "'TOP.CONFIG_' and 'TOP.CONFIG' both become 'config' in DemoRegisters"),
    MalformedMap(
      name: "accessor init", text: mutate("accessor: unit", "accessor: init"), needle: "name: UNIT",
      fragment: "accessor of block 'UNIT' becomes the Swift name 'init', which is a Swift keyword"),
    MalformedMap(
      name: "accessor shadows a root register", text: mutate("accessor: unit", "accessor: config"), needle: "name: UNIT",
      fragment: "both become 'config' in DemoRegisters"),
    MalformedMap(
      name: "dimension label IN", text: mutate("label: UNIT", "label: IN"), needle: "label: IN",
      fragment: "dimension label 'IN' becomes the Swift name 'in', which is a Swift keyword"),
    MalformedMap(
      name: "register type named Register", text: mutate("swift_name: DemoUnitBase", "swift_name: Register"),
      needle: "name: BASE", fragment: "becomes the Swift name 'Register', which the generated code already uses"),
    MalformedMap(
      name: "enum type named String", text: mutate("swift_name: DemoCode", "swift_name: String"), needle: "name: CODE",
      fragment: "enum 'CODE' becomes the Swift name 'String', which the generated code already uses"),
    MalformedMap(
      name: "block type named Self", text: mutate("swift_name: DemoUnitRegisters", "swift_name: Self"), needle: "name: UNIT",
      fragment: "block 'UNIT' becomes the Swift name 'Self', which is a Swift keyword"),
    MalformedMap(
      name: "width 48", text: mutate(regLine, "        width: 48\n"), needle: "48", fragment: "must be 32 or 64, got 48"),
    MalformedMap(name: "bits 1000", text: mutate("bits: 47:5", "bits: 1000"), needle: "1000", fragment: "'bits' must be 'N' or 'MSB:LSB'"),
    MalformedMap(
      name: "negative offset", text: mutate("offset: 0x100", "offset: -4"), needle: "-4",
      fragment: "expected a non-negative integer without a sign"),
    MalformedMap(name: "misplaced underscore", text: mutate("count: 4", "count: 4_"), needle: "4_", fragment: "misplaced '_'"),
    MalformedMap(name: "quoted count", text: mutate("count: 4", "count: \"4\""), needle: "\"4\"", fragment: "quoted string"),
    MalformedMap(
      name: "count beyond 64 bits", text: mutate("count: 4", "count: 0x1_0000_0000_0000_0000"), needle: "0x1_0000_0000_0000_0000",
      fragment: "does not fit"),
  ]

  @Test(arguments: cases)
  func hostileMapGivesOnePositionedError(_ c: MalformedMap) {
    let (line, column) = position(of: c.needle, occurrence: c.occurrence, shift: c.shift, in: c.text)
    do {
      _ = try RegisterMapLoader.load(text: c.text, file: "bad.yaml")
      Issue.record("\(c.name): expected an error")
    } catch {
      #expect(error.diagnostics.count == 1, "\(c.name): expected one diagnostic, got:\n\(error)")
      guard let d = error.diagnostics.first else { return }
      #expect((d.mark.line, d.mark.column) == (line, column), "\(c.name): \(d)")
      #expect(d.message.contains(c.fragment), "\(c.name): \(d)")
    }
  }

  /// Every malformed map, old and new, through `regmapgen check`: exit 1
  /// (invalid maps) and exactly one `file:line:col: error:` line.
  @Test func everyMalformedMapFailsRegmapgenCheckWithOneMessage() throws {
    let dir = NSTemporaryDirectory() + "cmdqv-hostile-maps-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let all = RegisterMapSchemaTests.cases + Self.cases
    #expect(all.count >= 60)
    for (i, c) in all.enumerated() {
      let path = dir + "/m\(i).yaml"
      try c.text.write(toFile: path, atomically: false, encoding: .utf8)
      var out = "", err = ""
      let status = RegMapGenCommand.run(["check", path], currentDirectory: dir, out: { out += $0 }, err: { err += $0 })
      let (line, column) = position(of: c.needle, occurrence: c.occurrence, shift: c.shift, in: c.text)
      let errors = err.split(separator: "\n").filter { $0.contains(": error: ") }
      #expect(status == 1, "\(c.name): status \(status)")
      #expect(errors.count == 1, "\(c.name):\n\(err)")
      #expect(errors.first?.hasPrefix("\(path):\(line):\(column): error: ") == true, "\(c.name):\n\(err)")
      #expect(out.isEmpty, "\(c.name)")
    }
  }

  @Test func instancesAtTheCapAreAccepted() throws {
    // 2^20 - 2 register instances plus TOP's two: exactly the cap.
    let text = mutate([
      (Self.regLine, Self.regLine + "        count: 0x3_FFFF\n        stride: 8\n"), ("count: 4", "count: 4"),
      ("stride: 0x10", "stride: 0x20_0000"),
    ])
    let extra = mutate([
      (Self.regLine, Self.regLine + "        count: 0x4_0000\n        stride: 8\n"), ("stride: 0x10", "stride: 0x20_0000"),
    ])
    // 4 × 0x3_FFFF + 2 = 2^20 - 2: accepted; 4 × 0x4_0000 + 2 = 2^20 + 2: rejected.
    #expect(throws: Never.self) { try RegisterMapLoader.load(text: text, file: "cap.yaml") }
    #expect(throws: DiagnosticList.self) { try RegisterMapLoader.load(text: extra, file: "cap.yaml") }
  }

  @Test func oversizedAndEndlessFilesStopAtTheFileCap() throws {
    var out = "", err = ""
    let status = RegMapGenCommand.run(["check", "/dev/zero"], currentDirectory: "/", out: { out += $0 }, err: { err += $0 })
    #expect(status == 1)
    #expect(err == "/dev/zero:1:1: error: file is larger than \(RegisterMapLimits.maxFileBytes) bytes\n")
  }

  @Test func controlCharactersInDescriptionsStayInsideCommentsAndLiterals() throws {
    let text = mutate("description: \"Base.\"", "description: \"Line one.\\nLine two\\r\\tend\\u0001\"")
    let map = try RegisterMapLoader.load(text: text, file: "demo.yaml")
    let files = SwiftGenerator.generate([map])
    let base = try #require(files["DemoUnitBase.swift"])
    for line in base.split(separator: "\n", omittingEmptySubsequences: false) {
      let t = line.trimmingCharacters(in: .whitespaces)
      #expect(!t.hasPrefix("Line two"), "a description line escaped its comment:\n\(base)")
      #expect(!line.unicodeScalars.contains { $0.value < 0x20 }, "control character in generated line: \(line)")
    }
    #expect(base.contains(#"description: "Line one.\nLine two\r\tend\u{1}""#))
    #expect(base.contains("/// `UNIT_BASE`: Line one. Line two  end "))
  }
}
