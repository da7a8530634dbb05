import Foundation
import Testing

@testable import CMDQVTrace

/// Ranges and sizes the reader enforces: every out-of-range field and every
/// over-long line is one positioned error, never an allocation or a trap.
@Suite struct ReaderLimitTests {
  static let head = #"{"v":1,"seq":1,"cycle":2,"kind":"mmio_w","#

  /// A record tail after `head`, the expected column and message fragment.
  static let outOfRange: [(String, Int, String)] = [
    (#""width":40000000000}"#, 50, #"key "width" must be 8, 16, 32 or 64, found 40000000000"#),
    (#""width":7}"#, 50, #"key "width" must be 8, 16, 32 or 64, found 7"#),
    (#""width":0}"#, 50, "must be 8, 16, 32 or 64"),
    (#""width":128}"#, 50, "must be 8, 16, 32 or 64"),
    (#""width":32,"value":"0x100000000"}"#, 61, #"key "value" 0x100000000 does not fit the 32-bit access"#),
    (#""width":8,"value":"0x100"}"#, 60, "does not fit the 8-bit access"),
    (#""width":16,"value":"0x10000"}"#, 61, "does not fit the 16-bit access"),
    (#""vintf":64}"#, 50, #"key "vintf" must be in 0...63, found 64"#),
    (#""vcmdq":128}"#, 50, #"key "vcmdq" must be in 0...127, found 128"#),
    (#""lvcmdq":9999}"#, 51, #"key "lvcmdq" must be in 0...127"#),
    (#""sid":4294967296}"#, 48, #"key "sid" must be in 0...4294967295"#),
    (#""vsid":4294967296}"#, 49, #"key "vsid" must be in 0...4294967295"#),
    (#""vmid":65536}"#, 49, #"key "vmid" must be in 0...65535"#),
    (#""asid":65536}"#, 49, #"key "asid" must be in 0...65535"#),
    (#""code":128}"#, 49, #"key "code" must be in 0...127"#),
    (#""cons":1048576}"#, 49, #"key "cons" must be in 0...1048575"#),
    (#""dwords":["0x1"]}"#, 51, #"key "dwords" must hold 2 doublewords, found 1"#),
    (#""dwords":["0x1","0x2","0x3"]}"#, 51, "found 3"),
    (#""offset":9223372036854775808}"#, 51, #"key "offset" is out of range"#),
    (#""offset":-4}"#, 51, #"key "offset" must be a non-negative integer"#),
  ]

  @Test(arguments: 0..<outOfRange.count)
  func outOfRangeFieldIsPositioned(_ index: Int) {
    let (tail, column, fragment) = Self.outOfRange[index]
    do {
      _ = try JSONLinesReader.read(string: "\n" + Self.head + tail + "\n", path: "t.jsonl")
      Issue.record("accepted \(tail)")
    } catch let error as TraceReadError {
      #expect(error.line == 2 && error.column == column, "\(error)")
      #expect(error.description.hasPrefix("t.jsonl:2:\(column): error: "), "\(error)")
      #expect(error.message.contains(fragment), "\(error)")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func tooManyFieldsIsAnError() {
    let fields = (0..<65).map { "\"F\($0): 0->1\"" }.joined(separator: ",")
    #expect(throws: TraceReadError.self) {
      try JSONLinesReader.read(string: Self.head + "\"fields\":[\(fields)]}")
    }
  }

  @Test func everyWidthAndItsLargestValueIsAccepted() throws {
    for width in [8, 16, 32, 64] {
      let max = width == 64 ? UInt64.max : (1 << UInt64(width)) - 1
      let line = Self.head + "\"width\":\(width),\"value\":\"\(Hex.minimal(max))\"}"
      let records = try JSONLinesReader.read(string: line)
      #expect(records.first?.value == max)
      #expect(records.first?.textLine.contains(Hex.padded(max, digits: width / 4)) == true)
    }
  }

  /// A note whose line is `length` bytes long.
  func noteLine(length: Int) -> String {
    let prefix = #"{"v":1,"seq":1,"cycle":0,"kind":"note","text":""#
    let suffix = "\"}"
    return prefix + String(repeating: "x", count: length - prefix.utf8.count - suffix.utf8.count) + suffix
  }

  @Test func aLineAtTheCapIsReadAndOneByteMoreIsPositioned() throws {
    let cap = JSONLinesReader.maxLineBytes
    let path = scratchPath("cap.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    // From a file: the long lines span many read chunks.
    try (noteLine(length: 100) + "\n" + noteLine(length: cap) + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    let records = try JSONLinesReader.read(path: path)
    #expect(records.count == 2)
    #expect(records[1].text?.utf8.count == cap - 49)
    try (noteLine(length: 100) + "\n" + noteLine(length: cap + 1) + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: TraceReadError(path: path, line: 2, column: cap + 1, message: "line too long (more than \(cap) bytes)")) {
      try JSONLinesReader.read(path: path)
    }
    // Unterminated last line, and in-memory text.
    try noteLine(length: cap + 1).write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: TraceReadError.self) { try JSONLinesReader.read(path: path) }
    #expect(throws: TraceReadError(path: "s", line: 1, column: cap + 1, message: "line too long (more than \(cap) bytes)")) {
      try JSONLinesReader.read(string: noteLine(length: cap + 1), path: "s")
    }
  }

  @Test func aFileWithoutNewlinesStopsAtTheCap() throws {
    try #require(FileManager.default.fileExists(atPath: "/dev/zero"))
    var read = 0
    #expect(throws: TraceReadError(path: "/dev/zero", line: 1, column: JSONLinesReader.maxLineBytes + 1,
                                   message: "line too long (more than \(JSONLinesReader.maxLineBytes) bytes)")) {
      try JSONLinesReader(path: "/dev/zero").forEachRecord { _ in read += 1 }
    }
    #expect(read == 0)
  }

  @Test func manyLinesAcrossChunkBoundariesRoundTrip() throws {
    let path = scratchPath("chunks.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    // Lengths that put newlines just before, on and after 64 KiB boundaries.
    let lengths = (0..<16).map { 60 + ($0 * 17_393) % 140_000 }
    try lengths.map { noteLine(length: $0) }.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)
    let records = try JSONLinesReader.read(path: path)
    #expect(records.map { $0.text!.utf8.count + 49 } == lengths)
  }
}
