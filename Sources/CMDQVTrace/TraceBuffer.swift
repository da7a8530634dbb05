/// The bounded byte buffer in front of a ``TraceOutput``: bytes accumulate up
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
    var text = text
    text.withUTF8 { append($0) }
  }

  /// Appends one encoded line (the writers' hot path: no allocation once
  /// the buffer has its capacity).
  func append(_ line: TraceBytes) {
    append(line.buffer)
  }

  private func append(_ chunk: UnsafeBufferPointer<UInt8>) {
    guard !isClosed else { return }
    if bytes.count + chunk.count > capacity { drain() }
    if chunk.count > capacity {
      send(Array(chunk))
      return
    }
    bytes.append(contentsOf: chunk)
    if bytes.count > highWaterMark { highWaterMark = bytes.count }
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
