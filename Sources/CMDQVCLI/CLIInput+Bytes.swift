extension CLIInput {
  /// The longest command line `cmdqv step` reads: 64 KiB.
  public static let maxLineBytes = 64 * 1024

  /// Lines read byte by byte from `nextByte` (`nil` at end of input), each
  /// at most ``maxLineBytes``: a longer line (`cmdqv step < /dev/zero`) ends
  /// the input and sets ``error`` instead of growing without bound. A
  /// trailing `\r` is dropped, as `readLine` does.
  public convenience init(bytes nextByte: @escaping () -> UInt8?) {
    let state = InputState()
    self.init {
      guard state.error == nil, !state.ended else { return nil }
      var line: [UInt8] = []
      while true {
        guard let byte = nextByte() else {
          state.ended = true
          return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
        }
        if byte == UInt8(ascii: "\n") {
          if line.last == UInt8(ascii: "\r") { line.removeLast() }
          return String(decoding: line, as: UTF8.self)
        }
        line.append(byte)
        if line.count > Self.maxLineBytes {
          state.error = "input line longer than \(Self.maxLineBytes) bytes"
          return nil
        }
      }
    }
    self.state = state
  }
}
