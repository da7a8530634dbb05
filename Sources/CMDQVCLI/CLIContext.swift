/// The streams a subcommand works with.
struct CLIContext {
  var stdin: CLIInput
  var stdout: CLIOutput
  var stderr: CLIOutput
  var terminal: TerminalStatus
}
