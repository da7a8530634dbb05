import Foundation

/// Reads a JSON Lines trace one record at a time (``JSONLinesReader/records()``).
/// It holds at most one line (``JSONLinesReader/maxLineBytes``) plus one
/// read chunk, and scans every byte once for newlines. The first malformed
/// line throws a positioned ``TraceReadError``.
public final class TraceRecordCursor {
  public let path: String
  private var handle: FileHandle?
  /// Bytes read and not yet consumed from `start`.
  private var pending: [UInt8]
  private var start = 0
  /// Bytes of `pending` before this index hold no newline.
  private var scanned = 0
  private var atEnd: Bool
  private var lineNumber = 0

  init(bytes: [UInt8], path: String) {
    self.path = path
    self.pending = bytes
    self.atEnd = true
  }

  init(handle: FileHandle, path: String) {
    self.path = path
    self.handle = handle
    self.pending = []
    self.atEnd = false
  }

  deinit { try? handle?.close() }

  /// The next record, or `nil` at the end of the trace (blank lines skipped).
  public func next() throws -> TraceRecord? {
    while let line = try nextLine() {
      lineNumber += 1
      var bytes = line
      if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
      if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      do throws(JSONSyntaxError) {
        let value = try JSONLineParser.parse(bytes)
        let record = try TraceRecord(json: value)
        try record.checkRanges(in: value)
        return record
      } catch {
        throw TraceReadError(path: path, line: lineNumber, column: error.column, message: error.message)
      }
    }
    return nil
  }

  private func tooLong() -> TraceReadError {
    TraceReadError(
      path: path, line: lineNumber + 1, column: JSONLinesReader.maxLineBytes + 1,
      message: "line too long (more than \(JSONLinesReader.maxLineBytes) bytes)")
  }

  /// The next line without its newline, copied out of the buffer.
  private func nextLine() throws -> [UInt8]? {
    while true {
      if let nl = pending[scanned...].firstIndex(of: 0x0A) {
        guard nl - start <= JSONLinesReader.maxLineBytes else { throw tooLong() }
        let line = Array(pending[start..<nl])
        start = nl + 1
        scanned = start
        return line
      }
      scanned = pending.count
      if pending.count - start > JSONLinesReader.maxLineBytes { throw tooLong() }
      if atEnd {
        guard start < pending.count else { return nil }
        let line = Array(pending[start...])
        start = pending.count
        scanned = start
        return line
      }
      // Drop consumed bytes, then read another chunk.
      if start > 0 {
        pending.removeFirst(start)
        scanned -= start
        start = 0
      }
      let chunk: Data?
      do { chunk = try handle?.read(upToCount: JSONLinesReader.chunkSize) } catch {
        throw TraceReadError(path: path, line: lineNumber + 1, column: 0, message: "read failed: \(error)")
      }
      if let chunk, !chunk.isEmpty {
        pending.append(contentsOf: chunk)
      } else {
        atEnd = true
        try? handle?.close()
        handle = nil
      }
    }
  }
}
