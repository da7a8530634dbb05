import CMDQVRegisters
import Testing

@testable import CMDQVTrace

@Suite struct JSONLinesTests {
  private func jsonl(_ events: [HardwareEvent]) -> String {
    let out = MemoryTraceOutput()
    let writer = JSONLinesTraceWriter(output: out)
    events.forEach(writer.record)
    writer.close()
    return out.string
  }

  @Test func keyOrderAndHexValuesAreFixed() {
    #expect(
      TraceRecord(Fixture.write(12, 40, 0x1100, 0x1)).jsonLine
        == #"{"v":2,"seq":12,"cycle":40,"kind":"mmio_w","initiator":"host","map":"tegra241_cmdqv","aperture":"config","offset":"0x1100","width":32,"value":"0x1","old":"0x0","new":"0x1","reg":"VINTF1_CONFIG","fields":{"ENABLE":{"old":"0x0","new":"0x1"}},"accepted":true}"#
    )
    #expect(
      TraceRecord(Fixture.command(30, 52, .atcInv(streamID: 0x100), vsid: 0x10)).jsonLine
        == #"{"v":2,"seq":30,"cycle":52,"kind":"cmd","vcmdq":2,"queue":"VINTF1/VCMDQ2/LVCMDQ0","vintf":1,"lvcmdq":0,"cons":3,"op":"ATC_INV","dwords":["0x10000000040","0x0"],"sid":"0x100","vsid":"0x10","addr":"0x0"}"#
    )
    #expect(
      TraceRecord(Fixture.event(19, 14, .note("a \"b\"\n\u{1}"))).jsonLine
        == #"{"v":2,"seq":19,"cycle":14,"kind":"note","text":"a \"b\"\n\u0001"}"#)
    #expect(
      TraceRecord(Fixture.event(3, 0, .step(StepMarker(number: 2, action: "destroy q0", source: "s.yaml:12")))).jsonLine
        == #"{"v":2,"seq":3,"cycle":0,"kind":"step","step":2,"action":"destroy q0","src":"s.yaml:12"}"#)
  }

  /// A v1 file (numbers for offsets and IDs, fields as strings) reads into
  /// the same records as its v2 spelling.
  @Test func readsVersion1AndVersion2() throws {
    let v1 = [
      #"{"v":1,"seq":12,"cycle":40,"kind":"mmio_w","initiator":"host","map":"tegra241_cmdqv","aperture":"config","offset":4352,"width":32,"value":"0x1","old":"0x0","new":"0x1","reg":"VINTF1_CONFIG","fields":["ENABLE: 0->1"],"accepted":true}"#,
      #"{"v":1,"seq":30,"cycle":52,"kind":"cmd","vcmdq":2,"queue":"VINTF1/VCMDQ2/LVCMDQ0","vintf":1,"lvcmdq":0,"cons":3,"op":"ATC_INV","dwords":["0x10000000040","0x0"],"sid":256,"vsid":16,"addr":"0x0"}"#,
      #"{"v":1,"seq":31,"cycle":53,"kind":"mmio_w","initiator":"host","map":"tegra241_cmdqv","aperture":"vcmdq_page0","offset":65536,"width":32,"value":"0x1000000","old":"0x0","new":"0x1000000","reg":"VCMDQ0_CONS","fields":["ERR: 0x0(NONE)->0x1(ILL)"],"accepted":true}"#,
    ].joined(separator: "\n")
    let records = try JSONLinesReader.read(string: v1)
    #expect(records[0] == TraceRecord(Fixture.write(12, 40, 0x1100, 0x1)))
    #expect(records[1] == TraceRecord(Fixture.command(30, 52, .atcInv(streamID: 0x100), vsid: 0x10)))
    #expect(records[2].fields == [TraceFieldChange(name: "ERR", old: 0, new: 1)])
    // v1 renders as v2 and reads back unchanged.
    let v2 = records.map(\.jsonLine).joined(separator: "\n")
    #expect(v2.contains(#""offset":"0x10000""#))
    #expect(try JSONLinesReader.read(string: v2) == records)
    #expect(records[2].textLine.hasSuffix("{ERR: 0x0(NONE)->0x1(ILL)}"))
  }

  @Test func everyEmittedKeyIsInTheDocumentedOrder() throws {
    let order = TraceRecord.jsonKeyOrder
    for event in Fixture.everyKind() {
      let line = TraceRecord(event).jsonLine
      guard case .object(let members, _) = try JSONLineParser.parse(Array(line.utf8)) else {
        Issue.record("not an object: \(line)")
        continue
      }
      let positions = members.map { order.firstIndex(of: $0.key) ?? -1 }
      #expect(!positions.contains(-1), "undocumented key in \(line)")
      #expect(positions == positions.sorted(), "keys out of order in \(line)")
    }
  }

  @Test func roundTripKeepsEveryRecordIncluding64BitValues() throws {
    let events = Fixture.everyKind()
    let records = try JSONLinesReader.read(string: jsonl(events))
    #expect(records == events.map(TraceRecord.init))
    // Values at and above 2^63 survive as hex strings.
    #expect(records.contains { $0.value == 0xFFFF_0000_0000_0123 })
    #expect(records.contains { $0.new == UInt64.max })
    #expect(records.contains { $0.addr == 0xFFFF_FFFF_FFFF_F000 })
    #expect(records.contains { $0.dwords?.first == 0xFFFF_0003_0000_0012 })
  }

  @Test func roundTripThroughAFile() throws {
    let path = scratchPath("roundtrip.jsonl")
    let events = Fixture.everyKind()
    try withTrace(to: .file(path), format: .jsonLines) { writer in events.forEach(writer.record) }
    #expect(try JSONLinesReader.read(path: path) == events.map(TraceRecord.init))
  }

  @Test func fileReaderHandlesLinesAcrossChunkBoundaries() throws {
    // More than one 64 KiB read chunk, with a long note straddling a boundary.
    var events: [HardwareEvent] = []
    for i in 0..<3000 { events.append(Fixture.write(UInt64(2 * i + 1), UInt64(i), 0x1100, UInt64(i & 1), old: UInt64(~i & 1))) }
    events.append(Fixture.event(9999, 9999, .note(String(repeating: "x", count: 100_000))))
    let path = scratchPath("chunks.jsonl")
    try withTrace(to: .file(path), format: .jsonLines) { writer in events.forEach(writer.record) }
    let streamed = try JSONLinesReader.read(path: path)
    #expect(streamed.count == events.count)
    #expect(streamed == events.map(TraceRecord.init))
  }

  @Test func identicalStreamsGiveByteIdenticalOutput() {
    let a = jsonl(Fixture.everyKind()), b = jsonl(Fixture.everyKind())
    #expect(a == b)
    #expect(!a.isEmpty)
    let textA = MemoryTraceOutput(), textB = MemoryTraceOutput()
    for out in [textA, textB] {
      let w = TextTraceWriter(output: out)
      Fixture.everyKind().forEach(w.record)
      w.close()
    }
    #expect(textA.bytes == textB.bytes)
  }

  @Test func renderingAReadTraceReproducesTheTextTrace() throws {
    let events = Fixture.everyKind()
    let text = MemoryTraceOutput()
    let writer = TextTraceWriter(output: text)
    events.forEach(writer.record)
    writer.close()
    #expect(try JSONLinesReader.read(string: jsonl(events)).renderText() == text.string)
  }

  @Test func unknownKeysAreIgnoredForForwardCompatibility() throws {
    let records = try JSONLinesReader.read(string: #"{"v":1,"seq":1,"cycle":2,"kind":"note","text":"x","future":{"a":[1,2.5e3,null]}}"#)
    var expected = TraceRecord(seq: 1, cycle: 2, kind: .note)
    expected.text = "x"
    #expect(records == [expected])
  }
}
