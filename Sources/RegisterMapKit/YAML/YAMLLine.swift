/// One non-blank, non-comment source line, pre-split by ``YAMLScanner``.
/// Blank and comment-only lines are dropped, but `number` keeps the real line
/// number so every mark points into the original file.
struct YAMLLine: Sendable {
  /// 1-based line number in the file.
  var number: Int
  /// Offset (in Unicode scalars) where unconsumed content starts. Initially
  /// the count of leading spaces; the block parser moves it right when a
  /// node starts mid-line (`- key: value` opens a mapping at the key).
  var indent: Int
  /// The whole line (no line break), as Unicode scalars so offsets are columns.
  var scalars: [Unicode.Scalar]

  /// The scalar at `offset`, or nil past the end of the line.
  subscript(offset: Int) -> Unicode.Scalar? {
    offset >= 0 && offset < scalars.count ? scalars[offset] : nil
  }

  /// True for space and tab: separation whitespace inside a line.
  static func isBlank(_ c: Unicode.Scalar?) -> Bool { c == " " || c == "\t" }

  /// True at end of line, or at a comment (`#` after whitespace or at `offset` 0).
  func isEndOfContent(at offset: Int) -> Bool {
    guard let c = self[offset] else { return true }
    return c == "#" && (offset == 0 || YAMLLine.isBlank(self[offset - 1]))
  }

  /// First offset at or after `offset` that is not a space or tab.
  func skipBlanks(from offset: Int) -> Int {
    var i = offset
    while YAMLLine.isBlank(self[i]) { i += 1 }
    return i
  }

  /// True if only whitespace and/or a comment remain from `offset`.
  func isRestEmpty(from offset: Int) -> Bool { isEndOfContent(at: skipBlanks(from: offset)) }

  /// The text of `scalars[from..<to]`.
  func text(_ from: Int, _ to: Int) -> String {
    var s = String.UnicodeScalarView()
    if from < to { s.append(contentsOf: scalars[from..<min(to, scalars.count)]) }
    return String(s)
  }
}
