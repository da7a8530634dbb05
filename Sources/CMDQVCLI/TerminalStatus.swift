/// Which standard streams are terminals: decides the interactive prompt
/// (stdin) and progress output (stderr), never shown in pipes or tests.
public struct TerminalStatus: Sendable {
  public var stdin: Bool
  public var stdout: Bool
  public var stderr: Bool

  public init(stdin: Bool = false, stdout: Bool = false, stderr: Bool = false) {
    self.stdin = stdin
    self.stdout = stdout
    self.stderr = stderr
  }

  /// No terminal anywhere (pipes, tests).
  public static let none = TerminalStatus()
}
