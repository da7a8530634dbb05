import Foundation

/// Reads a JSON Lines trace back into records, one line at a time: a file is
/// read in fixed-size chunks, so streaming a large trace needs memory for one
/// line, not the file. Blank lines are skipped; the first malformed line stops
/// reading with a ``TraceReadError`` (`path:line:col: error: …`).
public struct JSONLinesReader {
  private enum Source {
    case file(String)
    case bytes([UInt8])
  }

  private let source: Source
  /// The name used in error messages.
  public let path: String

  /// Bytes read from a file per chunk.
  static let chunkSize = 64 * 1024

  /// A reader of the file at `path`.
  public init(path: String) {
    self.source = .file(path)
    self.path = path
  }

  /// A reader of trace text held in memory; `path` names it in errors.
  public init(string: String, path: String = "<string>") {
    self.source = .bytes(Array(string.utf8))
    self.path = path
  }

  /// The longest line accepted, in bytes (without the newline): 1 MiB. A
  /// longer line is a positioned error, so reading a file without newlines
  /// (`/dev/zero`) ends after 1 MiB instead of growing without bound.
  public static let maxLineBytes = 1 << 20

  /// Calls `body` with each record in file order. Each record is decoded
  /// and range-checked (`Docs/Tracing.md`, "Reading limits"). Memory is one
  /// line (at most ``maxLineBytes``) plus one chunk; time is linear in the
  /// input.
  public func forEachRecord(_ body: (TraceRecord) throws -> Void) throws {
    var lineNumber = 0
    func tooLong() -> TraceReadError {
      TraceReadError(
        path: path, line: lineNumber + 1, column: Self.maxLineBytes + 1,
        message: "line too long (more than \(Self.maxLineBytes) bytes)")
    }
    func handle(_ line: ArraySlice<UInt8>) throws {
      if line.count > Self.maxLineBytes { throw tooLong() }
      lineNumber += 1
      var bytes = Array(line)
      if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
      if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
      do {
        let value = try JSONLineParser.parse(bytes)
        let record = try TraceRecord(json: value)
        try record.checkRanges(in: value)
        try body(record)
      } catch let e as JSONSyntaxError {
        throw TraceReadError(path: path, line: lineNumber, column: e.column, message: e.message)
      }
    }
    /// Hands every complete line of `pending` to `handle`, scanning only
    /// from `scanned` (bytes before it hold no newline).
    func drain(_ pending: inout [UInt8], _ scanned: inout Int) throws {
      var start = 0
      while let nl = pending[scanned...].firstIndex(of: 0x0A) {
        try handle(pending[start..<nl])
        start = nl + 1
        scanned = start
      }
      if start > 0 {
        pending.removeFirst(start)
      }
      scanned = pending.count
      if pending.count > Self.maxLineBytes { throw tooLong() }
    }
    switch source {
    case .bytes(let all):
      var start = 0
      while let nl = all[start...].firstIndex(of: 0x0A) {
        try handle(all[start..<nl])
        start = nl + 1
      }
      if start < all.count { try handle(all[start...]) }
    case .file(let filePath):
      guard let handle0 = FileHandle(forReadingAtPath: filePath) else {
        throw TraceReadError(path: path, line: 0, column: 0, message: "cannot open file for reading")
      }
      defer { try? handle0.close() }
      var pending: [UInt8] = []
      var scanned = 0
      while true {
        let chunk: Data?
        do { chunk = try handle0.read(upToCount: Self.chunkSize) } catch {
          throw TraceReadError(path: path, line: lineNumber + 1, column: 0, message: "read failed: \(error)")
        }
        guard let chunk, !chunk.isEmpty else { break }
        pending.append(contentsOf: chunk)
        try drain(&pending, &scanned)
      }
      if !pending.isEmpty { try handle(pending[...]) }
    }
  }

  /// Every record of the trace.
  public func readAll() throws -> [TraceRecord] {
    var out: [TraceRecord] = []
    try forEachRecord { out.append($0) }
    return out
  }

  /// The records of the JSON Lines file at `path`.
  public static func read(path: String) throws -> [TraceRecord] {
    try JSONLinesReader(path: path).readAll()
  }

  /// The records of JSON Lines text.
  public static func read(string: String, path: String = "<string>") throws -> [TraceRecord] {
    try JSONLinesReader(string: string, path: path).readAll()
  }
}
