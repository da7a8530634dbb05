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

  /// Calls `body` with each record in file order.
  public func forEachRecord(_ body: (TraceRecord) throws -> Void) throws {
    var lineNumber = 0
    func handle(_ line: ArraySlice<UInt8>) throws {
      lineNumber += 1
      var bytes = Array(line)
      if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
      if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
      do {
        let value = try JSONLineParser.parse(bytes)
        try body(try TraceRecord(json: value))
      } catch let e as JSONSyntaxError {
        throw TraceReadError(path: path, line: lineNumber, column: e.column, message: e.message)
      }
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
      while true {
        let chunk: Data?
        do { chunk = try handle0.read(upToCount: Self.chunkSize) } catch {
          throw TraceReadError(path: path, line: lineNumber + 1, column: 0, message: "read failed: \(error)")
        }
        guard let chunk, !chunk.isEmpty else { break }
        pending.append(contentsOf: chunk)
        var start = 0
        while let nl = pending[start...].firstIndex(of: 0x0A) {
          try handle(pending[start..<nl])
          start = nl + 1
        }
        pending.removeFirst(start)
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
