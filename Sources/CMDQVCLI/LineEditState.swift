/// The line being edited at a terminal prompt, and the history. Pure: bytes
/// in, an action out, so the key handling is tested without a terminal.
///
/// Keys: printable ASCII inserts; Backspace/Ctrl-H deletes left; Delete
/// (`ESC [ 3 ~`) and Ctrl-D on a non-empty line delete right; Left/Right,
/// Home/End and Ctrl-A/Ctrl-E move; Up/Down (and Ctrl-P/Ctrl-N) walk the
/// history; Ctrl-U clears; Ctrl-C cancels the line; Ctrl-D on an empty line
/// is end of input; Enter submits (non-blank lines join the history, an
/// immediate repeat once). Other bytes are ignored.
struct LineEditState {
  enum Action: Equatable {
    /// The line changed: redraw it.
    case redraw
    case submit(String)
    case cancel
    case endOfInput
    case none
  }

  private(set) var line: [UInt8] = []
  private(set) var cursor = 0
  private(set) var history: [String] = []
  /// Position in the history while walking it (`history.count`: the new line).
  private var historyIndex = 0
  /// The new line, kept while walking the history.
  private var draft: [UInt8] = []
  private var escape: [UInt8] = []

  var text: String { String(decoding: line, as: UTF8.self) }

  mutating func feed(_ byte: UInt8) -> Action {
    if !escape.isEmpty || byte == 0x1B { return feedEscape(byte) }
    switch byte {
    case 0x0D, 0x0A:
      let submitted = text
      if !submitted.allSatisfy({ $0 == " " }) && history.last != submitted { history.append(submitted) }
      reset()
      return .submit(submitted)
    case 0x7F, 0x08:
      guard cursor > 0 else { return .none }
      line.remove(at: cursor - 1)
      cursor -= 1
      return .redraw
    case 0x04:
      if line.isEmpty { return .endOfInput }
      return deleteRight()
    case 0x03:
      reset()
      return .cancel
    case 0x01: return move(to: 0)
    case 0x05: return move(to: line.count)
    case 0x10: return walkHistory(-1)
    case 0x0E: return walkHistory(1)
    case 0x15:
      line.removeAll()
      cursor = 0
      return .redraw
    case 0x20...0x7E:
      line.insert(byte, at: cursor)
      cursor += 1
      return .redraw
    default: return .none
    }
  }

  private mutating func feedEscape(_ byte: UInt8) -> Action {
    escape.append(byte)
    // ESC [ A…D / H / F, ESC O A…D / H / F, ESC [ 3 ~ (and other ESC [ n ~).
    guard escape.count >= 2 else { return .none }
    guard escape[1] == 0x5B || escape[1] == 0x4F else {
      escape.removeAll()
      return .none
    }
    guard escape.count >= 3 else { return .none }
    let last = escape[escape.count - 1]
    if (0x30...0x39).contains(last) && escape.count < 6 { return .none }  // digits of ESC [ n ~
    let sequence = escape
    escape.removeAll()
    switch last {
    case 0x41: return walkHistory(-1)
    case 0x42: return walkHistory(1)
    case 0x43: return move(to: cursor + 1)
    case 0x44: return move(to: cursor - 1)
    case 0x48: return move(to: 0)
    case 0x46: return move(to: line.count)
    case 0x7E where sequence.count == 4 && sequence[2] == 0x33: return deleteRight()
    default: return .none
    }
  }

  private mutating func deleteRight() -> Action {
    guard cursor < line.count else { return .none }
    line.remove(at: cursor)
    return .redraw
  }

  private mutating func move(to position: Int) -> Action {
    let p = min(max(position, 0), line.count)
    guard p != cursor else { return .none }
    cursor = p
    return .redraw
  }

  private mutating func walkHistory(_ delta: Int) -> Action {
    let target = historyIndex + delta
    guard target >= 0, target <= history.count, target != historyIndex else { return .none }
    if historyIndex == history.count { draft = line }
    historyIndex = target
    line = target == history.count ? draft : Array(history[target].utf8)
    cursor = line.count
    return .redraw
  }

  private mutating func reset() {
    line.removeAll()
    cursor = 0
    draft.removeAll()
    historyIndex = history.count
  }

  /// What to print to show `prompt` and the line with the cursor in place:
  /// back to column 0, erase the line, write it, move left to the cursor.
  func rendering(prompt: String) -> String {
    var s = "\r\u{1B}[K" + prompt + text
    if cursor < line.count { s += "\u{1B}[\(line.count - cursor)D" }
    return s
  }
}
