/// A case-insensitive substring, or a glob when it holds `*` or `?`.
struct RegisterPattern {
  let text: String

  init(_ text: String) { self.text = text.uppercased() }

  func matches(_ name: String) -> Bool {
    let n = name.uppercased()
    guard text.contains("*") || text.contains("?") else { return n.contains(text) }
    return Self.glob(Array(text), Array(n))
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
