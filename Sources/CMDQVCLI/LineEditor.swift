#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Line editing with history and arrow keys for an interactive terminal,
/// with raw-mode handling of our own (the package takes no dependencies).
/// The terminal is in raw mode (no echo, no line buffering) only while a
/// line is being read, and restored before `readLine` returns.
public final class LineEditor {
  private var state = LineEditState()
  private let readByte: () -> UInt8?
  private let write: (String) -> Void
  private let fd: Int32?

  /// An editor reading bytes from `readByte` and echoing with `write` (no
  /// terminal mode changes: for tests).
  init(readByte: @escaping () -> UInt8?, write: @escaping (String) -> Void) {
    self.readByte = readByte
    self.write = write
    self.fd = nil
  }

  /// An editor on the terminal at file descriptor `fd` (stdin), echoing
  /// through `write` (which must reach the terminal unbuffered).
  public init(terminal fd: Int32, write: @escaping (String) -> Void) {
    self.fd = fd
    self.write = write
    self.readByte = {
      var byte: UInt8 = 0
      while true {
        let n = read(fd, &byte, 1)
        if n == 1 { return byte }
        if n < 0 && errno == EINTR { continue }
        return nil
      }
    }
  }

  /// Reads one line (without its newline), or `nil` at end of input.
  public func readLine(prompt: String) -> String? {
    var saved = termios()
    let raw = fd.map { enterRawMode($0, saving: &saved) } ?? false
    defer { if raw, let fd { _ = tcsetattr(fd, TCSANOW, &saved) } }
    write(prompt)
    while let byte = readByte() {
      switch state.feed(byte) {
      case .redraw: write(state.rendering(prompt: prompt))
      case .submit(let line):
        write("\r\n")
        return line
      case .cancel: write("^C\r\n" + prompt)
      case .endOfInput:
        write("\r\n")
        return nil
      case .none: break
      }
    }
    return nil
  }

  private func enterRawMode(_ fd: Int32, saving saved: inout termios) -> Bool {
    guard tcgetattr(fd, &saved) == 0 else { return false }
    var raw = saved
    raw.c_lflag &= ~tcflag_t(ICANON | ECHO | IEXTEN | ISIG)  // Ctrl-C cancels the line
    raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
    withUnsafeMutableBytes(of: &raw.c_cc) { cc in
      cc[Int(VMIN)] = 1
      cc[Int(VTIME)] = 0
    }
    return tcsetattr(fd, TCSANOW, &raw) == 0
  }
}
