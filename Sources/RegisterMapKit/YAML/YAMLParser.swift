/// The strict YAML-subset parser (see Docs/RegisterMapFormat.md, "YAML subset").
///
/// Accepted: one document (optionally after `---`) of block mappings, block
/// sequences (also at their key's indentation), flow sequences of scalars, and
/// plain, single- and double-quoted scalars on one line, with `#` comments.
/// Every scalar is kept as text. `key:` (or `-`) with nothing after it and no
/// indented block below is an empty plain scalar `""`.
///
/// Rejected, each by name: anchors, aliases, tags, block scalars, multi-line
/// scalars, complex keys, directives, `...` and multiple documents, flow
/// mappings, nested flow collections, tabs in indentation, unterminated quotes
/// and flow sequences, bad indentation, keys without `:`, `: ` inside a plain
/// value, duplicate keys, unknown escapes and empty documents.
public enum YAMLParser {
  /// Parses `text` (the contents of `file`) into a node tree, or throws every
  /// problem found as a ``DiagnosticList``. Never crashes, never returns a
  /// partial tree. An empty document is an error.
  public static func parse(_ text: String, file: String) throws(DiagnosticList) -> YAMLNode {
    let (lines, lexical) = YAMLScanner(file: file).scan(text)
    // Lexical problems make line structure unreliable: report them alone.
    if !lexical.isEmpty { throw DiagnosticList(lexical) }
    guard !lines.isEmpty else {
      throw DiagnosticList([Diagnostic("empty document", at: Mark(file: file, line: 1, column: 1))])
    }

    var parser = YAMLBlockParser(lines: lines, file: file)
    var diagnostics: [Diagnostic] = []
    var root: YAMLNode?
    do {
      root = try parser.parseDocument()
    } catch {
      diagnostics.append(error)
    }
    diagnostics += parser.diagnostics
    if let root, diagnostics.isEmpty { return root }
    // A key scanned twice (probe, then parse) may report the same escape twice.
    var seen = Set<Diagnostic>()
    throw DiagnosticList(diagnostics.filter { seen.insert($0).inserted })
  }
}
