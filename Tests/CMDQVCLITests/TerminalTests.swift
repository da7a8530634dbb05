import CMDQVCLI
import Testing

/// Prompt and progress appear only on terminals.
@Suite struct TerminalTests {
  func run(_ args: [String], stdin: String = "", terminal: TerminalStatus) -> CLIResult {
    var out = "", err = ""
    let status = CMDQVCommand.main(
      arguments: args, stdin: CLIInput(text: stdin), stdout: CLIOutput { out += $0 }, stderr: CLIOutput { err += $0 },
      isTerminal: terminal)
    return CLIResult(status: status, stdout: out, stderr: err)
  }

  /// With `-q` (no per-step story) a terminal gets a progress line instead.
  @Test func progressOnlyWhenStderrIsATerminal() {
    let tty = run(["run", "-q"], terminal: TerminalStatus(stderr: true))
    #expect(tty.status == 0)
    #expect(tty.stderr.contains("\rstep 1/37"))
    #expect(tty.stderr.contains("\rstep 37/37"))
    #expect(tty.stderr.hasSuffix("\r\u{1B}[K"))
    #expect(!tty.stdout.contains("\r"))
    let piped = run(["run", "-q"], terminal: .none)
    #expect(piped.stderr.isEmpty)
    let story = run(["run"], terminal: TerminalStatus(stderr: true))
    #expect(story.stderr.isEmpty)
  }

  @Test func promptOnlyWhenStdinIsATerminal() {
    let tty = run(["step"], stdin: "n\n", terminal: TerminalStatus(stdin: true))
    #expect(tty.stdout.components(separatedBy: "cmdqv> ").count == 3)  // before `n` and before EOF
    let piped = run(["step"], stdin: "n\n", terminal: .none)
    #expect(!piped.stdout.contains("cmdqv> "))
  }

  @Test func helpForAnUnknownTopicIsBadInput() {
    expectBadInput(cmdqv("help", "frob"), containing: "no help for unknown subcommand 'frob'")
  }
}
