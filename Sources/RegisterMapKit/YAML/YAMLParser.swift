/// The strict YAML-subset parser (see Docs/RegisterMapFormat.md, "YAML subset").
public enum YAMLParser {
  /// Parses `text` (the contents of `file`) into a node tree, or throws every
  /// problem found as a ``DiagnosticList``. Never crashes, never returns a
  /// partial tree. An empty document is an error.
  public static func parse(_ text: String, file: String) throws(DiagnosticList) -> YAMLNode {
    throw DiagnosticList([Diagnostic("YAML parser not implemented yet", at: Mark(file: file, line: 1, column: 1))])
  }
}
