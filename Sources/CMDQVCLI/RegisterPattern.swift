/// A case-insensitive substring, or a glob when it holds `*` or `?`.
/// Patterns are at most ``maxLength`` characters (register names are far
/// shorter), so matching every instance of the map stays cheap.
struct RegisterPattern {
  static let maxLength = 256
  let text: String
  private let characters: [Character]
  private let isGlob: Bool

  init(_ text: String) throws(UsageError) {
    guard text.count <= Self.maxLength else {
      throw UsageError("PATTERN is \(text.count) characters long, at most \(Self.maxLength)", help: "regs")
    }
    self.text = text.uppercased()
    characters = Array(self.text)
    isGlob = self.text.contains("*") || self.text.contains("?")
  }

  func matches(_ name: String) -> Bool {
    let n = name.uppercased()
    guard isGlob else { return n.contains(text) }
    return Self.glob(characters, Array(n))
  }

  /// Iterative glob with backtracking on the last `*` (linear-ish, no recursion).
  static func glob(_ p: [Character], _ s: [Character]) -> Bool {
    var pi = 0, si = 0, star = -1, mark = 0
    while si < s.count {
      if pi < p.count && (p[pi] == "?" || p[pi] == s[si]) {
        pi += 1
        si += 1
      } else if pi < p.count && p[pi] == "*" {
        star = pi
        mark = si
        pi += 1
      } else if star >= 0 {
        pi = star + 1
        mark += 1
        si = mark
      } else {
        return false
      }
    }
    while pi < p.count && p[pi] == "*" { pi += 1 }
    return pi == p.count
  }
}
