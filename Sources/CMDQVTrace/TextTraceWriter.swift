import CMDQVRegisters

/// Writes one decoded text line per event (``TraceRecord/textLine``).
public final class TextTraceWriter: TraceWriter {
  private let buffer: TraceBuffer

  public init(output: any TraceOutput, bufferCapacity: Int = defaultTraceBufferCapacity) {
    buffer = TraceBuffer(output: output, capacity: bufferCapacity)
  }

  public func record(_ event: HardwareEvent) {
    buffer.append(TraceRecord(event).textLine + "\n")
  }

  /// Writes a record that did not come from a device (a rendered JSONL trace).
  public func write(_ record: TraceRecord) {
    buffer.append(record.textLine + "\n")
  }

  public func flush() { buffer.flush() }
  public func close() { buffer.close() }
  public var bufferHighWaterMark: Int { buffer.highWaterMark }
  public var bufferCapacity: Int { buffer.capacity }
  public var writeError: (any Error)? { buffer.error }

  deinit { buffer.close() }
}
