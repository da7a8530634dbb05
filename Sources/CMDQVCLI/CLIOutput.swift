/// Where the command writes text (standard output or error, or a buffer in tests).
public final class CLIOutput {
  private let sink: (String) -> Void

  public init(_ sink: @escaping (String) -> Void) { self.sink = sink }

  public func write(_ text: String) { sink(text) }
  /// Writes `text` and a newline.
  public func line(_ text: String = "") { sink(text + "\n") }
}
