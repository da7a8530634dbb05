import RegisterMapKit

/// Collects a scenario's diagnostics across the parser's helpers.
final class DiagnosticSink {
  private(set) var diagnostics: [Diagnostic] = []

  func add(_ message: String, at mark: Mark) { diagnostics.append(Diagnostic(message, at: mark)) }
  func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

  func integer(_ s: YAMLScalar, bits: Int) -> UInt64? {
    do { return try s.integer(bits: bits) } catch {
      add(error)
      return nil
    }
  }

  func int(_ s: YAMLScalar, in range: ClosedRange<Int>, what: String) -> Int? {
    guard let v = integer(s, bits: 62) else { return nil }
    guard v <= UInt64(Int.max), range.contains(Int(v)) else {
      add("\(what) must be in \(range.lowerBound)...\(range.upperBound), got \(s.text)", at: s.mark)
      return nil
    }
    return Int(v)
  }
}
