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
    let cursor = try records()
    while let record = try cursor.next() { try body(record) }
  }

  /// A cursor that reads one record per ``TraceRecordCursor/next()``, so two
  /// traces can be walked side by side (`trace diff`) in bounded memory.
  public func records() throws -> TraceRecordCursor {
    switch source {
    case .bytes(let all): return TraceRecordCursor(bytes: all, path: path)
    case .file(let filePath):
      guard let handle = FileHandle(forReadingAtPath: filePath) else {
        throw TraceReadError(path: path, line: 0, column: 0, message: "cannot open file for reading")
      }
      return TraceRecordCursor(handle: handle, path: path)
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
