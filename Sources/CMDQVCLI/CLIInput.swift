/// Where interactive commands come from: a line reader (`nil` at end of input).
public final class CLIInput {
  private let next: () -> String?

  /// A line editor with history (raw terminal mode), used instead of
  /// `readLine` by interactive commands when stdin is a terminal.
  public let editor: LineEditor?

  public init(_ next: @escaping () -> String?) {
    self.next = next
    self.editor = nil
  }

  /// Input from a terminal through `editor`.
  public init(editor: LineEditor) {
    self.editor = editor
    self.next = { editor.readLine(prompt: "") }
  }

  /// Input that yields the lines of `text`, then end of input.
  public convenience init(text: String) {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    var index = 0
    self.init {
      guard index < lines.count else { return nil }
      defer { index += 1 }
      return lines[index]
    }
  }

  public func readLine() -> String? { next() }
}
