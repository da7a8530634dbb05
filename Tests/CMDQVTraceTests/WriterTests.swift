import CMDQVRegisters
import Foundation
import Testing

@testable import CMDQVTrace

@Suite struct WriterTests {
  /// 200k events of mixed kinds, generated lazily.
  private func feed(_ writer: some HardwareEventSink, count: Int = 200_000) {
    for i in 0..<count {
      let seq = UInt64(i + 1), cycle = UInt64(i / 3)
      switch i % 4 {
      case 0: writer.record(Fixture.write(seq, cycle, 0x1100, UInt64(i & 1), old: UInt64(~i & 1)))
      case 1: writer.record(Fixture.read(seq, cycle, 0x1104, UInt64(i & 1)))
      case 2: writer.record(Fixture.command(seq, cycle, .cfgiSTE(streamID: UInt32(i & 0xFF))))
      default: writer.record(Fixture.state(seq, cycle, "VINTF1", "ENABLE_OK", UInt64(~i & 1), UInt64(i & 1)))
      }
    }
  }

  private func expectBounded(
    _ writer: any TraceWriter, _ out: CountingOutput, events: Int, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(writer.bufferHighWaterMark <= writer.bufferCapacity, sourceLocation: sourceLocation)
    #expect(writer.bufferHighWaterMark > writer.bufferCapacity / 2, sourceLocation: sourceLocation)
    #expect(out.largestWrite <= writer.bufferCapacity, sourceLocation: sourceLocation)
    #expect(out.totalBytes > 10 * writer.bufferCapacity, "the trace must be much larger than the buffer", sourceLocation: sourceLocation)
    #expect(out.closed, sourceLocation: sourceLocation)
    #expect(writer.writeError == nil, sourceLocation: sourceLocation)
  }

  @Test func jsonLinesWriterNeverBuffersMoreThanItsCapacity() {
    let out = CountingOutput()
    let writer = JSONLinesTraceWriter(output: out, bufferCapacity: 16 * 1024)
    feed(writer)
    writer.close()
    expectBounded(writer, out, events: 200_000)
    #expect(out.newlines == 200_000)
  }

  @Test func textWriterNeverBuffersMoreThanItsCapacity() {
    let out = CountingOutput()
    let writer = TextTraceWriter(output: out)
    #expect(writer.bufferCapacity == 64 * 1024)
    feed(writer)
    writer.close()
    expectBounded(writer, out, events: 200_000)
    #expect(out.newlines == 200_000)
  }

  @Test func vcdWriterNeverBuffersMoreThanItsCapacity() {
    let out = CountingOutput()
    let writer = VCDTraceWriter(output: out, signals: VCDSignalSet(vintfs: 2, vcmdqs: 4), bufferCapacity: 4096)
    feed(writer)
    writer.close()
    expectBounded(writer, out, events: 200_000)
  }

  @Test func anOversizedLineIsWrittenThroughNotBuffered() {
    let out = CountingOutput()
    let writer = TextTraceWriter(output: out, bufferCapacity: 256)
    writer.record(Fixture.event(1, 0, .note("short")))
    writer.record(Fixture.event(2, 0, .note(String(repeating: "y", count: 1000))))
    writer.close()
    #expect(writer.bufferHighWaterMark <= 256)
    #expect(out.newlines == 2)
  }

  @Test func closeFlushesToTheFile() throws {
    let path = scratchPath("close.txt")
    let writer = TextTraceWriter(output: try FileTraceOutput(path: path))
    let events = Fixture.everyKind()
    events.forEach(writer.record)
    // Still buffered: nothing on disk yet.
    #expect(try String(contentsOfFile: path, encoding: .utf8).isEmpty)
    writer.close()
    #expect(try String(contentsOfFile: path, encoding: .utf8) == events.renderedText)
    writer.close()  // idempotent
    writer.record(events[0])  // dropped after close, no crash
  }

  @Test func flushWritesWithoutClosing() throws {
    let out = MemoryTraceOutput()
    let writer = JSONLinesTraceWriter(output: out)
    writer.record(Fixture.event(1, 0, .note("a")))
    #expect(out.bytes.isEmpty)
    writer.flush()
    #expect(out.string == #"{"v":2,"seq":1,"cycle":0,"kind":"note","text":"a"}"# + "\n")
    #expect(!out.isClosed)
  }

  @Test func deinitFlushes() throws {
    let path = scratchPath("deinit.jsonl")
    do {
      let writer = JSONLinesTraceWriter(output: try FileTraceOutput(path: path))
      Fixture.everyKind().forEach(writer.record)
    }
    #expect(try JSONLinesReader.read(path: path) == Fixture.everyKind().map(TraceRecord.init))
  }

  @Test func withTraceFlushesWhenTheBodyThrows() throws {
    struct ScenarioFailed: Error {}
    let path = scratchPath("throws.jsonl")
    #expect(throws: ScenarioFailed.self) {
      try withTrace(to: .file(path), format: .jsonLines) { writer in
        Fixture.everyKind().forEach(writer.record)
        throw ScenarioFailed()
      }
    }
    #expect(FileManager.default.fileExists(atPath: path))
    #expect(try JSONLinesReader.read(path: path) == Fixture.everyKind().map(TraceRecord.init))
  }

  @Test func withTraceReturnsTheBodyResultAndClosesTheOutput() throws {
    let out = MemoryTraceOutput()
    let n = try withTrace(to: .output(out), format: .text) { writer in
      writer.record(Fixture.event(1, 0, .note("x")))
      return 42
    }
    #expect(n == 42)
    #expect(out.isClosed)
    #expect(out.string == "#1 @0 # x\n")
  }

  @Test func aFailingOutputIsReportedNotIgnored() {
    #expect(throws: FailingOutput.Failure.self) {
      try withTrace(to: .output(FailingOutput()), format: .text) { writer in
        writer.record(Fixture.event(1, 0, .note("x")))
      }
    }
    let writer = TextTraceWriter(output: FailingOutput(), bufferCapacity: 16)
    Fixture.everyKind().forEach(writer.record)
    writer.close()
    #expect(writer.writeError is FailingOutput.Failure)
  }

  @Test func sessionCloseThrowsForAnUnwritableFile() {
    #expect(throws: TraceOutputError.self) {
      _ = try TraceSession(to: .file("/nonexistent-dir/x/trace.txt"), format: .text)
    }
  }
}

extension Array where Element == HardwareEvent {
  var renderedText: String { map { TraceRecord($0).textLine + "\n" }.joined() }
}
