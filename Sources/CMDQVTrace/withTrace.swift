/// Runs `body` with a trace writer attached to `destination` and guarantees
/// the trace is flushed and closed afterwards, also when `body` throws (the
/// body's error is rethrown; a write error is thrown when the body succeeded).
///
///     try withTrace(to: .file("run.jsonl"), format: .jsonLines) { writer in
///       device.sink = writer
///       try scenario.run()
///     }
public func withTrace<Result>(
  to destination: TraceDestination, format: TraceFormat, bufferCapacity: Int = defaultTraceBufferCapacity,
  body: (any TraceWriter) throws -> Result
) throws -> Result {
  let session = try TraceSession(to: destination, format: format, bufferCapacity: bufferCapacity)
  let result: Result
  do {
    result = try body(session.writer)
  } catch {
    session.writer.close()
    throw error
  }
  try session.close()
  return result
}
