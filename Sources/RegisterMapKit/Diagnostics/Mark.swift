/// A position in a source file: 1-based line and column (columns count
/// Unicode scalars).
public struct Mark: Hashable, Sendable, Comparable {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public static func < (a: Mark, b: Mark) -> Bool {
    (a.file, a.line, a.column) < (b.file, b.line, b.column)
  }
}

extension Mark: CustomStringConvertible {
  /// `path:line:col`.
  public var description: String { "\(file):\(line):\(column)" }
}
