/// Bytes collected in memory, for tests and small in-process traces. (This
/// output is unbounded by design; the writers in front of it still buffer at
/// most their capacity.)
public final class MemoryTraceOutput: TraceOutput {
  public private(set) var bytes: [UInt8] = []
  /// Number of `write` calls received.
  public private(set) var writeCount = 0
  public private(set) var isClosed = false

  public init() {}

  /// The bytes as UTF-8 text.
  public var string: String { String(decoding: bytes, as: UTF8.self) }

  public func write(_ bytes: [UInt8]) throws {
    guard !isClosed else { throw TraceOutputError(path: "<memory>", message: "write after close") }
    writeCount += 1
    self.bytes.append(contentsOf: bytes)
  }

  public func flush() throws {}

  public func close() throws { isClosed = true }
}
