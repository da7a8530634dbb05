/// Where a trace writer's bytes go: a file, standard output, or memory.
/// Writers hand it bounded chunks; it need not buffer.
public protocol TraceOutput: AnyObject {
  /// Writes `bytes` (called with at most the writer's buffer capacity, or one
  /// oversized line).
  func write(_ bytes: [UInt8]) throws
  /// Pushes anything the output itself holds to its destination.
  func flush() throws
  /// Flushes and releases the destination; later writes are errors.
  func close() throws
}
