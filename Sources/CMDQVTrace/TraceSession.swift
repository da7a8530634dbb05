/// An open trace: a writer of `format` on `destination`. Closing it (or
/// dropping it) flushes and closes the output; ``close()`` also reports a
/// write error, so a lost trace fails loudly instead of silently.
public final class TraceSession {
  public let writer: any TraceWriter

  public init(
    to destination: TraceDestination, format: TraceFormat, bufferCapacity: Int = defaultTraceBufferCapacity
  ) throws {
    let output = try destination.open()
    switch format {
    case .text: writer = TextTraceWriter(output: output, bufferCapacity: bufferCapacity)
    case .jsonLines: writer = JSONLinesTraceWriter(output: output, bufferCapacity: bufferCapacity)
    case .vcd(let signals): writer = VCDTraceWriter(output: output, signals: signals, bufferCapacity: bufferCapacity)
    }
  }

  /// Flushes and closes; throws the first write error of the session.
  public func close() throws {
    writer.close()
    if let error = writer.writeError { throw error }
  }

  deinit { writer.close() }
}
