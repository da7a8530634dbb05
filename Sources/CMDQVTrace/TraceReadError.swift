/// A malformed line in a JSON Lines trace, printed like a compiler
/// diagnostic: `path:line:col: error: message` (line and byte column 1-based;
/// `path: error: message` when no line is involved, e.g. an unreadable file).
public struct TraceReadError: Error, Hashable, Sendable, CustomStringConvertible {
  public var path: String
  public var line: Int
  public var column: Int
  public var message: String

  public init(path: String, line: Int, column: Int, message: String) {
    self.path = path
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String {
    line > 0 ? "\(path):\(line):\(column): error: \(message)" : "\(path): error: \(message)"
  }
}
