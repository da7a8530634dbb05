import Foundation

/// Reads an input file (a register map, a scenario) with a size cap, in
/// chunks: `/dev/zero`, a FIFO that never ends or a huge file is an error
/// after `limit` bytes instead of unbounded memory.
public enum BoundedFileReader {
  public enum Failure: Error, Equatable {
    case cannotOpen
    case readFailed
    /// Longer than the limit (in bytes).
    case tooLarge(limit: Int)
    case notUTF8
  }

  /// The file's text, or why it could not be had.
  public static func read(_ path: String, limit: Int) -> Result<String, Failure> {
    guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(.cannotOpen) }
    defer { try? handle.close() }
    var bytes: [UInt8] = []
    while true {
      let chunk: Data?
      do { chunk = try handle.read(upToCount: 64 * 1024) } catch { return .failure(.readFailed) }
      guard let chunk, !chunk.isEmpty else { break }
      bytes.append(contentsOf: chunk)
      if bytes.count > limit { return .failure(.tooLarge(limit: limit)) }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
    return .success(text)
  }
}
