/// The bounded byte buffer in front of a ``TraceOutput``: text accumulates up
/// to `capacity` bytes and is then written out, so a writer's memory does not
/// grow with the trace. A single line longer than the capacity is written
/// through directly. The first output error is kept (MMIO recording cannot
/// throw) and reported by ``TraceWriter/writeError``.
final class TraceBuffer {
  let output: any TraceOutput
  let capacity: Int
  private var bytes: [UInt8]
  private(set) var highWaterMark = 0
  private(set) var error: (any Error)?
  private(set) var isClosed = false

  init(output: any TraceOutput, capacity: Int) {
    precondition(capacity > 0, "trace buffer capacity must be positive")
    self.output = output
    self.capacity = capacity
    self.bytes = []
    bytes.reserveCapacity(capacity)
  }

  func append(_ text: String) {
    guard !isClosed else { return }
    let utf8 = text.utf8
    if bytes.count + utf8.count > capacity { drain() }
    if utf8.count > capacity {
      send(Array(utf8))
      return
    }
    bytes.append(contentsOf: utf8)
    highWaterMark = max(highWaterMark, bytes.count)
  }

  /// Writes the buffered bytes and flushes the output.
  func flush() {
    guard !isClosed else { return }
    drain()
    guard error == nil else { return }
    do { try output.flush() } catch { self.error = error }
  }

  /// Flushes, then closes the output. Idempotent.
  func close() {
    guard !isClosed else { return }
    flush()
    isClosed = true
    do { try output.close() } catch { if self.error == nil { self.error = error } }
  }

  private func drain() {
    guard !bytes.isEmpty else { return }
    send(bytes)
    bytes.removeAll(keepingCapacity: true)
  }

  private func send(_ chunk: [UInt8]) {
    // After a failed write, drop further bytes rather than retry forever.
    guard error == nil else { return }
    do { try output.write(chunk) } catch { self.error = error }
  }
}
