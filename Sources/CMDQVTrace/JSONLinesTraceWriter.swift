import CMDQVRegisters

/// Writes one JSON object per line (``TraceRecord/jsonLine``); identical event
/// streams give byte-identical files.
public final class JSONLinesTraceWriter: TraceWriter {
  private let buffer: TraceBuffer

  public init(output: any TraceOutput, bufferCapacity: Int = defaultTraceBufferCapacity) {
    buffer = TraceBuffer(output: output, capacity: bufferCapacity)
  }

  public func record(_ event: HardwareEvent) {
    buffer.append(TraceRecord(event).jsonLine + "\n")
  }

  /// Writes a record that did not come from a device (filtering, conversion).
  public func write(_ record: TraceRecord) {
    buffer.append(record.jsonLine + "\n")
  }

  public func flush() { buffer.flush() }
  public func close() { buffer.close() }
  public var bufferHighWaterMark: Int { buffer.highWaterMark }
  public var bufferCapacity: Int { buffer.capacity }
  public var writeError: (any Error)? { buffer.error }

  deinit { buffer.close() }
}
