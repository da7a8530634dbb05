/// Where interactive commands come from: a line reader (`nil` at end of input).
public final class CLIInput {
  private let next: () -> String?
  /// Set by the byte-reading initializer (`CLIInput+Bytes.swift`).
  var state: InputState?

  /// Why the input ended early (a line over ``maxLineBytes``), if it did.
  public var error: String? { state?.error }

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
