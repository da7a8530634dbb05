/// Where ``withTrace(to:format:bufferCapacity:body:)`` writes.
public enum TraceDestination {
  /// A file, created or truncated.
  case file(String)
  case standardOutput
  /// Any output, for example a ``MemoryTraceOutput`` in tests.
  case output(any TraceOutput)

  func open() throws -> any TraceOutput {
    switch self {
    case .file(let path): try FileTraceOutput(path: path)
    case .standardOutput: StandardOutputTraceOutput()
    case .output(let o): o
    }
  }
}
