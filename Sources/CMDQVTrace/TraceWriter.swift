import CMDQVRegisters

/// A sink that writes a trace format to a ``TraceOutput`` through a bounded
/// buffer. `close()` (and `deinit`) always flush, so a trace is never left
/// half-written in memory.
public protocol TraceWriter: HardwareEventSink {
  /// Writes out buffered bytes and flushes the output.
  func flush()
  /// Writes any trailer, flushes and closes the output. Idempotent; events
  /// recorded afterwards are dropped.
  func close()
  /// The most bytes the writer has held at once (never above the capacity).
  var bufferHighWaterMark: Int { get }
  /// The writer's buffer limit in bytes.
  var bufferCapacity: Int { get }
  /// The first error the output reported, if any.
  var writeError: (any Error)? { get }
  /// Marks the run's last cycle (the VCD writer ends its time axis there;
  /// line formats ignore it). Call before ``close()``.
  func end(atCycle cycle: UInt64)
}

extension TraceWriter {
  public func end(atCycle cycle: UInt64) {}
}

/// The default buffer size of the writers: 64 KiB.
public let defaultTraceBufferCapacity = 64 * 1024
