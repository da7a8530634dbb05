import Testing

/// An independent Value Change Dump reader (IEEE 1364-2005 clause 18, the subset a
/// waveform viewer needs), written for the tests without any code of the
/// writer: scopes give hierarchical names, `$dumpvars` the initial values,
/// `#t` timestamps (strictly increasing) and `b…`/`x` vector changes.
struct VCDReader {
  struct Change: Equatable {
    var time: UInt64
    var path: String
    /// `nil` for an `x` value.
    var value: UInt64?
  }

  var timescale = ""
  var comment = ""
  /// Identifier code → full path (`cmdqv.vcmdq2.cons`) and width.
  var paths: [String: String] = [:]
  var widths: [String: Int] = [:]
  var timestamps: [UInt64] = []
  /// Every change after `$dumpvars`, in file order.
  var changes: [Change] = []
  /// Values dumped by `$dumpvars`.
  var initial: [String: UInt64?] = [:]

  init(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)[...]
    var scopes: [String] = []
    func until(_ end: String) -> [String] {
      var out: [String] = []
      while let t = tokens.popFirst(), t != end { out.append(t) }
      return out
    }
    header: while let t = tokens.popFirst() {
      switch t {
      case "$date", "$version": _ = until("$end")
      case "$comment": comment = until("$end").joined(separator: " ")
      case "$timescale": timescale = until("$end").joined(separator: " ")
      case "$scope":
        let words = until("$end")
        #expect(words.count == 2 && words[0] == "module", "scope \(words)", sourceLocation: sourceLocation)
        scopes.append(words.last ?? "?")
      case "$upscope":
        _ = until("$end")
        #expect(!scopes.isEmpty, "unbalanced $upscope", sourceLocation: sourceLocation)
        _ = scopes.popLast()
      case "$var":
        let words = until("$end")
        #expect(words.count >= 4 && words[0] == "wire", "var \(words)", sourceLocation: sourceLocation)
        guard words.count >= 4, let width = Int(words[1]) else { continue }
        #expect(paths[words[2]] == nil, "duplicate id \(words[2])", sourceLocation: sourceLocation)
        paths[words[2]] = (scopes + [words[3]]).joined(separator: ".")
        widths[words[2]] = width
      case "$enddefinitions":
        _ = until("$end")
        break header
      default: Issue.record("unexpected header token \(t)", sourceLocation: sourceLocation)
      }
    }
    #expect(scopes.isEmpty, "scopes closed", sourceLocation: sourceLocation)
    var time: UInt64?
    var inDump = false
    while let t = tokens.popFirst() {
      if t == "$dumpvars" {
        inDump = true
      } else if t == "$end" {
        inDump = false
      } else if t.hasPrefix("#") {
        guard let n = UInt64(t.dropFirst()) else {
          Issue.record("bad timestamp \(t)", sourceLocation: sourceLocation)
          continue
        }
        if let time { #expect(n > time, "timestamps increase: \(n) after \(time)", sourceLocation: sourceLocation) }
        time = n
        timestamps.append(n)
      } else if t.hasPrefix("b") || t.hasPrefix("B") {
        guard let id = tokens.popFirst(), let path = paths[id], let width = widths[id] else {
          Issue.record("change of an undeclared id after \(t)", sourceLocation: sourceLocation)
          continue
        }
        let bits = t.dropFirst()
        #expect(bits.count <= width, "\(path): \(bits.count) bits in a \(width)-bit signal", sourceLocation: sourceLocation)
        let value: UInt64? = bits.allSatisfy { $0 == "x" || $0 == "X" } ? nil : UInt64(bits, radix: 2)
        #expect(value != nil || bits.allSatisfy { $0 == "x" || $0 == "X" }, "bad vector \(t)", sourceLocation: sourceLocation)
        if inDump {
          initial[path] = value
        } else {
          #expect(time != nil, "change before any timestamp", sourceLocation: sourceLocation)
          changes.append(Change(time: time ?? 0, path: path, value: value))
        }
      } else {
        Issue.record("unexpected token \(t)", sourceLocation: sourceLocation)
      }
    }
    #expect(Set(initial.keys).count == paths.count, "every signal dumped", sourceLocation: sourceLocation)
  }

  /// The value of `path` at the end of the dump (`nil` for `x`); `.none`
  /// when no such signal exists.
  func final(_ path: String) -> UInt64?? {
    if let last = changes.last(where: { $0.path == path }) { return .some(last.value) }
    return initial[path]
  }

  /// The changes of `path`.
  func changes(of path: String) -> [Change] { changes.filter { $0.path == path } }

  var allPaths: Set<String> { Set(paths.values) }
}
