import Foundation
import Testing

@testable import RegisterMapKit

/// A small valid map the malformed cases are variations of.
let validMap = """
  map: demo
  swift_name: Demo
  description: "A demo map."
  parameters:
    - name: num_units
      description: "How many units exist."
  enums:
    - name: CODE
      swift_name: DemoCode
      description: "Codes."
      values:
        - name: NONE
          value: 0
          description: "None."
        - name: BAD
          value: 1
          description: "Bad."
  blocks:
    - name: TOP
      prefix: TOP
      offset: 0x0
      aperture: config
      description: "Top registers."
      registers:
        - name: CONFIG
          swift_name: DemoConfig
          offset: 0x0
          reset: 0x3
          source: "DEMO_CONFIG"
          description: "Config."
          fields:
            - name: EN
              bits: 0
              access: rw
              description: "Enable."
            - name: MODE
              bits: 2:1
              access: rw
              description: "Mode."
        - name: STATUS
          swift_name: DemoStatus
          offset: 0x4
          source: "DEMO_STATUS"
          description: "Status."
          fields:
            - name: CODE
              bits: 30:24
              access: ro
              enum: CODE
              description: "Code."
    - name: UNIT
      offset: 0x100
      aperture: config
      swift_name: DemoUnitRegisters
      accessor: unit
      dimensions:
        - label: UNIT
          count: 4
          stride: 0x10
          parameter: num_units
      description: "Units."
      registers:
        - name: BASE
          swift_name: DemoUnitBase
          offset: 0x0
          width: 64
          source: "DEMO_BASE"
          description: "Base."
          fields:
            - name: ADDR
              bits: 47:5
              access: rw
              description: "Address."

  """

/// `validMap` with `old` replaced by `new` (the replacement must happen).
func mutate(_ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
  #expect(validMap.contains(old), "fixture does not contain \(old)", sourceLocation: sourceLocation)
  return validMap.replacingOccurrences(of: old, with: new)
}

/// The 1-based line and column of the `occurrence`-th (1-based) `needle` in
/// `text`, plus `shift` columns.
func position(of needle: String, occurrence: Int = 1, shift: Int = 0, in text: String) -> (Int, Int) {
  var searchFrom = text.startIndex
  var found: Range<String.Index>?
  for _ in 0..<occurrence {
    guard let r = text.range(of: needle, range: searchFrom..<text.endIndex) else { return (0, 0) }
    found = r
    searchFrom = r.upperBound
  }
  guard let at = found?.lowerBound else { return (0, 0) }
  let before = text[..<at]
  let line = before.filter { $0 == "\n" }.count + 1
  let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
  return (line, text.unicodeScalars[lineStart..<at].count + 1 + shift)
}

struct MalformedMap: CustomTestStringConvertible, Sendable {
  let name: String
  let text: String
  /// Where the error must point: the `occurrence`-th `needle`, `shift` columns on.
  let needle: String
  var occurrence = 1
  var shift = 0
  let fragment: String
  var testDescription: String { name }
}

@Suite struct RegisterMapSchemaTests {
  @Test func validMapLoads() throws {
    let map = try RegisterMapLoader.load(text: validMap, file: "demo.yaml")
    #expect(map.blocks.map(\.name) == ["TOP", "UNIT"])
    let config = try #require(map.blocks[0].registers.first)
    #expect(config.reset == 3)
    #expect(config.fields.map(\.swiftName) == ["en", "mode"])
    #expect(map.blocks[1].registers[0].accessWidths == [32, 64])
  }

  static let cases: [MalformedMap] = [
    MalformedMap(
      name: "tab indentation", text: mutate("    description: \"Top registers.\"", "\t  description: \"Top registers.\""),
      needle: "\t  description", fragment: "tab"),
    MalformedMap(
      name: "duplicate key", text: mutate("reset: 0x3\n", "reset: 0x3\n        reset: 0x3\n"),
      needle: "reset: 0x3", occurrence: 2, fragment: "duplicate key 'reset'"),
    MalformedMap(
      name: "unknown key", text: mutate("reset: 0x3\n", "rest: 0x3\n"), needle: "rest:", fragment: "unknown key 'rest'"),
    MalformedMap(
      name: "field beyond the register width", text: mutate("bits: 2:1", "bits: 33:32"),
      needle: "name: MODE", fragment: "outside the 32-bit"),
    MalformedMap(
      name: "overlapping registers", text: mutate("offset: 0x4\n", "offset: 0x0\n"),
      needle: "name: STATUS", fragment: "overlaps CONFIG"),
    MalformedMap(
      name: "reset too wide for its field",
      text: mutate("bits: 0\n", "bits: 0\n            reset: 2\n"),
      needle: "reset: 2", shift: 7, fragment: "does not fit in field 'EN'"),
    MalformedMap(
      name: "register reset too wide", text: mutate("reset: 0x3", "reset: 0x1_0000_0000"),
      needle: "0x1_0000_0000", fragment: "does not fit in 32 bits"),
    MalformedMap(name: "anchor", text: mutate("offset: 0x100", "offset: &o 0x100"), needle: "&o", fragment: "anchor"),
    MalformedMap(name: "alias", text: mutate("offset: 0x100", "offset: *o"), needle: "*o", fragment: "alias"),
    MalformedMap(
      name: "unterminated quote", text: mutate("description: \"Units.\"", "description: \"Units."),
      needle: "\"Units.", fragment: "unterminated"),
    MalformedMap(
      name: "truncated file", text: mutate("        width: 64\n", "        width: 64\n        access_widths: [32, 64\n"),
      needle: "[32, 64", fragment: "flow sequence"),
    MalformedMap(
      name: "alias to an unknown block",
      text: validMap + "  - name: ALIAS\n    offset: 0x1000\n    aperture: alias\n    alias_of: NOWHERE\n    description: \"x\"\n",
      needle: "name: ALIAS", fragment: "unknown block 'NOWHERE'"),
    MalformedMap(
      name: "stride smaller than its block", text: mutate("stride: 0x10", "stride: 0x4"),
      needle: "label: UNIT", fragment: "smaller than what it repeats"),
    MalformedMap(
      name: "overlapping fields", text: mutate("bits: 2:1", "bits: 1:0"), needle: "name: MODE",
      fragment: "overlaps field 'EN'"),
    MalformedMap(
      name: "missing key", text: mutate("        source: \"DEMO_CONFIG\"\n", ""), needle: "name: CONFIG",
      fragment: "missing key 'source'"),
    MalformedMap(
      name: "duplicate register name", text: mutate("- name: STATUS", "- name: CONFIG"), needle: "name: CONFIG",
      occurrence: 2, fragment: "duplicate register"),
    MalformedMap(
      name: "unknown enum", text: mutate("enum: CODE", "enum: CODES"), needle: "name: CODE\n", occurrence: 2,
      fragment: "unknown enum 'CODES'"),
    MalformedMap(
      name: "unknown access", text: mutate("access: ro", "access: rx"), needle: "rx", fragment: "unknown access 'rx'"),
    MalformedMap(
      name: "misaligned 64-bit register", text: mutate("offset: 0x0\n        width: 64", "offset: 0x4\n        width: 64"),
      needle: "name: BASE", fragment: "not aligned"),
    MalformedMap(
      name: "reset sets uncovered bits", text: mutate("reset: 0x3", "reset: 0x13"), needle: "name: CONFIG",
      fragment: "no field covers"),
    MalformedMap(
      name: "unknown parameter", text: mutate("parameter: num_units", "parameter: num_unit"), needle: "label: UNIT",
      fragment: "unknown parameter 'num_unit'"),
    MalformedMap(name: "bad bit range", text: mutate("bits: 2:1", "bits: 1:2"), needle: "1:2", fragment: "MSB >= LSB"),
  ]

  @Test func everyFixtureMutationApplies() {
    for c in Self.cases { #expect(c.text != validMap, "\(c.name): mutation did not apply") }
  }

  @Test(arguments: cases)
  func malformedMapGivesOnePositionedError(_ c: MalformedMap) {
    let (line, column) = position(of: c.needle, occurrence: c.occurrence, shift: c.shift, in: c.text)
    do {
      _ = try RegisterMapLoader.load(text: c.text, file: "bad.yaml")
      Issue.record("\(c.name): expected an error")
    } catch {
      #expect(error.diagnostics.count == 1, "\(c.name): expected one diagnostic, got:\n\(error)")
      guard let d = error.diagnostics.first else { return }
      #expect(d.mark.file == "bad.yaml")
      #expect((d.mark.line, d.mark.column) == (line, column), "\(c.name): \(d)")
      #expect(d.message.contains(c.fragment), "\(c.name): \(d)")
      #expect(d.description.hasPrefix("bad.yaml:\(d.mark.line):\(d.mark.column): error: "))
    }
  }

  @Test func duplicateKeyPointsAtBothPlaces() throws {
    let text = mutate("reset: 0x3\n", "reset: 0x3\n        reset: 0x3\n")
    let error = try #require(throws: DiagnosticList.self) { try RegisterMapLoader.load(text: text, file: "bad.yaml") }
    let d = try #require(error.diagnostics.first)
    let (line, column) = position(of: "reset: 0x3", in: text)
    #expect(d.related?.line == line)
    #expect(d.description.contains("bad.yaml:\(line):\(column): note:"))
  }

  @Test func generatedSwiftNamesMustBeUnique() throws {
    let text = mutate("swift_name: DemoStatus", "swift_name: DemoConfig")
    let error = try #require(throws: DiagnosticList.self) { try RegisterMapLoader.load(text: text, file: "bad.yaml") }
    #expect(error.diagnostics.contains { $0.message.contains("duplicate Swift type name 'DemoConfig'") })
  }
}
