/// Every problem found in one or more input files, in file order. Thrown as a
/// whole so that no partial output is ever produced.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]

  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sorted { $0.mark < $1.mark } }

  /// One diagnostic per line.
  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
