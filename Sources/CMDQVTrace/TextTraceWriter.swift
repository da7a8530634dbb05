import CMDQVRegisters

/// Writes one decoded text line per event (``TraceRecord/textLine``),
/// encoded straight into a reusable byte line.
public final class TextTraceWriter: TraceWriter {
  private let buffer: TraceBuffer
  private var line = TraceBytes()

  public init(output: any TraceOutput, bufferCapacity: Int = defaultTraceBufferCapacity) {
    buffer = TraceBuffer(output: output, capacity: bufferCapacity)
  }

  public func record(_ event: HardwareEvent) {
    line.removeAll()
    line.textEvent(event)
    line.byte(0x0A)
    buffer.append(line)
  }

  /// Writes a record that did not come from a device (a rendered JSONL trace).
  public func write(_ record: TraceRecord) {
    line.removeAll()
    record.encodeText(into: &line)
    line.byte(0x0A)
    buffer.append(line)
  }

  public func flush() { buffer.flush() }
  public func close() { buffer.close() }
  public var bufferHighWaterMark: Int { buffer.highWaterMark }
  public var bufferCapacity: Int { buffer.capacity }
  public var writeError: (any Error)? { buffer.error }

  deinit { buffer.close() }
}
