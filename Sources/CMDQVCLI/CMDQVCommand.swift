import CMDQVTestSupport

/// `cmdqv`: run scenarios, browse and decode the register map, read and diff
/// traces, step through a scenario. All I/O is injected so tests run it
/// in-process. Exit status: 0 success, 1 a scenario expectation failed, a
/// trace file could not be written or
/// traces differ, 2 bad input.
public enum CMDQVCommand {
  public static let version = "cmdqv 1.0 (CMDQV model, trace schema v1)"

  public static func main(
    arguments: [String], stdin: CLIInput, stdout: CLIOutput, stderr: CLIOutput, isTerminal: TerminalStatus = .none
  ) -> Int32 {
    let io = CLIContext(stdin: stdin, stdout: stdout, stderr: stderr, terminal: isTerminal)
    do {
      return try dispatch(arguments, io)
    } catch {
      stderr.line(error.rendered)
      return 2
    }
  }

  static let subcommands = ["run", "regs", "decode", "trace", "step", "help"]

  static func dispatch(_ arguments: [String], _ io: CLIContext) throws(UsageError) -> Int32 {
    guard let first = arguments.first else { return try RunCommand.run([], io) }
    let rest = Array(arguments.dropFirst())
    switch first {
    case "-h", "--help":
      io.stdout.write(HelpText.global)
      return 0
    case "--version":
      io.stdout.line(version)
      return 0
    case "help":
      guard let topic = rest.first else {
        io.stdout.write(HelpText.global)
        return 0
      }
      guard let text = HelpText.forCommand(topic) else {
        throw UsageError("no help for unknown subcommand '\(topic)'", help: "")
      }
      io.stdout.write(text)
      return 0
    default:
      break
    }
    if HelpText.wantsHelp(rest), let text = HelpText.forCommand(first) {
      io.stdout.write(text)
      return 0
    }
    switch first {
    case "run": return try RunCommand.run(rest, io)
    case "regs": return try RegsCommand.run(rest, io)
    case "decode": return try DecodeCommand.run(rest, io)
    case "trace": return try TraceCommand.run(rest, io)
    case "step": return try StepCommand.run(rest, io)
    default:
      if first.hasPrefix("-") {
        // `cmdqv --trace x` means `cmdqv run --trace x`.
        return try RunCommand.run(arguments, io)
      }
      let best = subcommands.map { ($0, editDistance($0, first)) }.min { $0.1 < $1.1 }
      let hint = best.map { $0.1 <= 2 ? " (did you mean '\($0.0)'?)" : "" } ?? ""
      throw UsageError("unknown subcommand '\(first)'\(hint)", help: "")
    }
  }
}
