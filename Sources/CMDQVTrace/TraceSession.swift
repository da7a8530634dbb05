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
    case .vcdStartingFrom(let signals, let initialValues):
      writer = VCDTraceWriter(
        output: output, signals: signals, initialValues: initialValues, bufferCapacity: bufferCapacity)
    }
  }

  /// Flushes and closes; throws the first write error of the session.
  /// `endCycle` (the run's last cycle) ends a VCD's time axis there.
  public func close(endCycle: UInt64? = nil) throws {
    if let endCycle { writer.end(atCycle: endCycle) }
    writer.close()
    if let error = writer.writeError { throw error }
  }

  deinit { writer.close() }
}
