/// The bounded byte buffer in front of a ``TraceOutput``: bytes accumulate up
/// to `capacity` bytes and is then written out, so a writer's memory does not
/// grow with the trace. A single line longer than the capacity is written
/// through directly. The first output error is kept (MMIO recording cannot
/// throw) and reported by ``TraceWriter/writeError``.
final class TraceBuffer {
  let output: any TraceOutput
  let capacity: Int
  // Raw storage, not an array: an append is a capacity compare and a copy,
  // with no uniqueness check; the hot fields skip dynamic exclusivity checks
  // (the buffer is used from one thread and never re-entered).
  private let storage: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) private var count = 0
  @exclusivity(unchecked) private(set) var highWaterMark = 0
  private(set) var error: (any Error)?
  @exclusivity(unchecked) private(set) var isClosed = false

  init(output: any TraceOutput, capacity: Int) {
    precondition(capacity > 0, "trace buffer capacity must be positive")
    self.output = output
    self.capacity = capacity
    storage = .allocate(capacity: capacity)
  }

  deinit { storage.deallocate() }

  func append(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }

  /// Appends one encoded line.
  func append(_ line: TraceBytes) {
    append(line.buffer)
  }

  /// Appends bytes (the writers' hot path: no allocation). Writers pass
  /// `line.buffer` rather than the line: copying the whole `TraceBytes`
  /// right after encoding into it read back its fields in one wide load
  /// that could not be forwarded from the encoder's narrower stores.
  func append(_ chunk: UnsafeBufferPointer<UInt8>) {
    guard !isClosed, let start = chunk.baseAddress else { return }
    let n = chunk.count
    if count + n > capacity { drain() }
    if n > capacity {
      send(Array(chunk))
      return
    }
    copyBytes(from: UnsafeRawPointer(start), to: UnsafeMutableRawPointer(storage + count), count: n)
    count += n
    if count > highWaterMark { highWaterMark = count }
  }

  /// Room for `n` more bytes straight after the buffered ones (draining
  /// first if they would not fit), for a writer to encode a record in place
  /// and then ``commit(_:)`` it: no copy of the line. `nil` once closed or
  /// when `n` exceeds the capacity (the writer then encodes on its own).
  func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8>? {
    guard !isClosed, n <= capacity else { return nil }
    if count + n > capacity { drain() }
    return storage + count
  }

  /// Takes the `n` bytes written at the last ``reserve(_:)``.
  func commit(_ n: Int) {
    count += n
    if count > highWaterMark { highWaterMark = count }
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
    guard count > 0 else { return }
    send(Array(UnsafeBufferPointer(start: storage, count: count)))
    count = 0
  }

  private func send(_ chunk: [UInt8]) {
    // After a failed write, drop further bytes rather than retry forever.
    guard error == nil else { return }
    do { try output.write(chunk) } catch { self.error = error }
  }
}
