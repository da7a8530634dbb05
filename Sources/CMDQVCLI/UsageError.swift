/// Bad input on the command line or in a file: printed as one message on
/// stderr, exit status 2.
struct UsageError: Error {
  /// The message, already naming the argument or `file:line:col`.
  var message: String
  /// The subcommand whose `--help` the hint points at (`nil`: no hint,
  /// e.g. positioned file diagnostics that stand on their own).
  var helpCommand: String?

  init(_ message: String, help: String? = "") {
    self.message = message
    self.helpCommand = help
  }

  var rendered: String {
    guard let helpCommand else { return message }
    let cmd = helpCommand.isEmpty ? "cmdqv" : "cmdqv \(helpCommand)"
    return "\(cmd): error: \(message) (see '\(cmd) --help')"
  }
}
