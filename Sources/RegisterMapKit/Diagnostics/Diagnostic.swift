/// One problem in an input file, printed the way compilers and SwiftPM print
/// them: `path:line:col: error: message`.
public struct Diagnostic: Error, Hashable, Sendable {
  public var mark: Mark
  public var message: String
  /// An optional second position that belongs to the same problem (the first
  /// definition of a duplicate key), printed as a `note:` line.
  public var related: Mark?
  public var relatedMessage: String?

  public init(_ message: String, at mark: Mark, related: Mark? = nil, relatedMessage: String? = nil) {
    self.mark = mark
    self.message = message
    self.related = related
    self.relatedMessage = relatedMessage
  }
}

extension Diagnostic: CustomStringConvertible {
  public var description: String {
    var s = "\(mark): error: \(message)"
    if let related { s += "\n\(related): note: \(relatedMessage ?? "see here")" }
    return s
  }
}
