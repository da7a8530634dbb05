import RegisterMapKit

/// Numbers on the command line follow the scenario files' rules: decimal,
/// `0x` hex, `0b`, `0o`, `_` between digits.
enum NumberArgument {
  static func parse(_ text: String, what: String, bits: Int = 64, command: String) throws(UsageError) -> UInt64 {
    let scalar = YAMLScalar(text: text, mark: Mark(file: "", line: 1, column: 1))
    do {
      return try scalar.integer(bits: bits)
    } catch {
      throw UsageError("bad \(what) '\(text)': \(error.message)", help: command)
    }
  }
}
