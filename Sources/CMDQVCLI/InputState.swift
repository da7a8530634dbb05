/// What a byte-reading ``CLIInput`` found: the end, or an input error.
final class InputState {
  var ended = false
  var error: String?
}
