import CMDQVRegisters

/// Writes one JSON object per line (``TraceRecord/jsonLine``), encoded
/// straight into a reusable byte line; identical event streams give
/// byte-identical files.
public final class JSONLinesTraceWriter: TraceWriter {
  private let buffer: TraceBuffer
  @exclusivity(unchecked) private var line = TraceBytes()
  private let pieces = CommandPieces()

  public init(output: any TraceOutput, bufferCapacity: Int = defaultTraceBufferCapacity) {
    buffer = TraceBuffer(output: output, capacity: bufferCapacity)
  }

  public func record(_ event: HardwareEvent) {
    // Encode into a local (sharing the storage): each mutation of a class
    // property would pay an exclusivity check, and a record is many appends.
    var l = line
    l.removeAll()
    l.jsonEvent(event)
    l.byte(0x0A)
    buffer.append(l.buffer)
    if l.base != line.base { line = l }  // it grew
  }

  public func recordCommand(_ command: ExecutedCommand, sequence: UInt64, cycle: UInt64) {
    // Encoded straight into the buffer's free space: no line to copy.
    let room = pieces.commandRecordBound
    guard let start = buffer.reserve(room) else {
      line.removeAll()
      line.jsonCommand(sequence: sequence, cycle: cycle, command, pieces: pieces)
      line.byte(0x0A)
      buffer.append(line.buffer)
      return
    }
    var l = TraceBytes(borrowing: start, capacity: room)
    l.jsonCommand(sequence: sequence, cycle: cycle, command, pieces: pieces)
    l.byte(0x0A)
    if l.base == start {
      buffer.commit(l.count)
    } else {  // it outgrew the room (not expected: see commandRecordBound)
      buffer.append(l.buffer)
      l.deallocate()
    }
  }

  /// Writes a record that did not come from a device (filtering, conversion).
  public func write(_ record: TraceRecord) {
    var l = line
    l.removeAll()
    record.encodeJSON(into: &l)
    l.byte(0x0A)
    buffer.append(l.buffer)
    if l.base != line.base { line = l }  // it grew
  }

  public func flush() { buffer.flush() }
  public func close() { buffer.close() }
  public var bufferHighWaterMark: Int { buffer.highWaterMark }
  public var bufferCapacity: Int { buffer.capacity }
  public var writeError: (any Error)? { buffer.error }

  deinit {
    buffer.close()
    line.deallocate()
  }
}
