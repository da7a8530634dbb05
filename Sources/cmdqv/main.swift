import CMDQVCLI
import Foundation

// The thin executable: real streams in, exit status out.
let stdoutStream = CLIOutput { text in
  FileHandle.standardOutput.write(Data(text.utf8))
}
let stderrStream = CLIOutput { text in
  FileHandle.standardError.write(Data(text.utf8))
}
let stdinStream = CLIInput { Swift.readLine(strippingNewline: true) }
let status = CMDQVCommand.main(
  arguments: Array(CommandLine.arguments.dropFirst()), stdin: stdinStream, stdout: stdoutStream, stderr: stderrStream,
  isTerminal: TerminalStatus(stdin: isatty(0) == 1, stdout: isatty(1) == 1, stderr: isatty(2) == 1))
exit(status)
