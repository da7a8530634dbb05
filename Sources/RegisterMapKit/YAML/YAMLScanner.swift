/// Splits a document into ``YAMLLine``s and rejects the document-level
/// constructs the subset leaves out (directives, `...`, multiple documents,
/// tabs in indentation, control characters). Everything here is a per-line
/// check, so all such problems in a file are reported together.
struct YAMLScanner {
  let file: String

  /// The content lines, and every lexical problem found.
  func scan(_ text: String) -> (lines: [YAMLLine], diagnostics: [Diagnostic]) {
    var lines: [YAMLLine] = []
    var diagnostics: [Diagnostic] = []
    var sawDocumentStart = false

    for (index, raw) in splitLines(text).enumerated() {
      let number = index + 1
      func mark(_ offset: Int) -> Mark { Mark(file: file, line: number, column: offset + 1) }

      // YAML forbids C0 controls (other than tab) and DEL in a stream.
      if let bad = raw.firstIndex(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
        let hex = String(raw[bad].value, radix: 16, uppercase: true)
        diagnostics.append(Diagnostic("control character U+\(String(repeating: "0", count: 4 - hex.count))\(hex) is not allowed", at: mark(bad)))
        continue
      }

      var line = YAMLLine(number: number, indent: 0, scalars: raw)
      let contentStart = line.skipBlanks(from: 0)
      if line.isEndOfContent(at: contentStart) { continue }  // blank or comment-only

      if let tab = raw[..<contentStart].firstIndex(of: "\t") {
        diagnostics.append(Diagnostic("tab in indentation; use spaces", at: mark(tab)))
        continue
      }
      line.indent = contentStart

      if contentStart == 0 {
        if hasMarker("---", raw) {
          if sawDocumentStart || !lines.isEmpty {
            diagnostics.append(Diagnostic("multiple documents ('---') are not supported; use one document per file", at: mark(0)))
          } else if !line.isRestEmpty(from: 3) {
            diagnostics.append(Diagnostic("content on the '---' line is not supported; start it on the next line", at: mark(line.skipBlanks(from: 3))))
          }
          sawDocumentStart = true
          continue
        }
        if hasMarker("...", raw) {
          diagnostics.append(Diagnostic("document end marker '...' is not supported", at: mark(0)))
          continue
        }
        if raw[0] == "%" {
          diagnostics.append(Diagnostic("directives (%YAML, %TAG) are not supported", at: mark(0)))
          continue
        }
      }
      lines.append(line)
    }
    return (lines, diagnostics)
  }

  /// `---` or `...` at column 1, followed by whitespace or end of line.
  private func hasMarker(_ marker: String, _ raw: [Unicode.Scalar]) -> Bool {
    let m = Array(marker.unicodeScalars)
    return raw.count >= 3 && Array(raw[0..<3]) == m && (raw.count == 3 || YAMLLine.isBlank(raw[3]))
  }

  /// Splits on LF, CRLF and lone CR (all normalised to one break); drops a
  /// leading byte-order mark.
  private func splitLines(_ text: String) -> [[Unicode.Scalar]] {
    var result: [[Unicode.Scalar]] = []
    var current: [Unicode.Scalar] = []
    var previousWasCR = false
    var first = true
    for c in text.unicodeScalars {
      defer { first = false }
      if first && c == "\u{FEFF}" { continue }
      if c == "\n" {
        if !previousWasCR { result.append(current); current = [] }
        previousWasCR = false
      } else if c == "\r" {
        result.append(current); current = []
        previousWasCR = true
      } else {
        current.append(c)
        previousWasCR = false
      }
    }
    result.append(current)
    return result
  }
}
