import CMDQVCLI
import Foundation

// The thin executable: real streams in, exit status out.

/// stdout is buffered (a `trace show` of a large file is many small lines)
/// and flushed before stdin is read, before stderr is written and at exit,
/// so interactive output and error messages keep their order.
final class BufferedStandardOutput {
  private var buffer: [UInt8] = []
  func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 64 * 1024 { flush() }
  }
  func flush() {
    guard !buffer.isEmpty else { return }
    FileHandle.standardOutput.write(Data(buffer))
    buffer.removeAll(keepingCapacity: true)
  }
}

let standardOutput = BufferedStandardOutput()
let stdoutStream = CLIOutput { standardOutput.write($0) }
let stderrStream = CLIOutput { text in
  standardOutput.flush()
  FileHandle.standardError.write(Data(text.utf8))
}
// A terminal gets line editing with history; pipes get plain lines, read
// byte by byte with a line-length cap (CLIInput+Bytes.swift).
let stdinStream =
  isatty(0) == 1 && isatty(1) == 1
  ? CLIInput(
    editor: LineEditor(terminal: 0) { text in
      standardOutput.write(text)
      standardOutput.flush()
    })
  : CLIInput(bytes: {
    standardOutput.flush()
    let c = getchar()
    return c == EOF ? nil : UInt8(truncatingIfNeeded: c)
  })
let status = CMDQVCommand.main(
  arguments: Array(CommandLine.arguments.dropFirst()), stdin: stdinStream, stdout: stdoutStream, stderr: stderrStream,
  isTerminal: TerminalStatus(stdin: isatty(0) == 1, stdout: isatty(1) == 1, stderr: isatty(2) == 1))
standardOutput.flush()
exit(status)
