import Testing

@testable import RegisterMapKit

let testFile = "t.yaml"

/// Parses `text`, recording a test failure (at the caller) if it throws.
func parseOK(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> YAMLNode? {
  do {
    return try YAMLParser.parse(text, file: testFile)
  } catch {
    Issue.record("unexpected diagnostics:\n\(error)", sourceLocation: sourceLocation)
    return nil
  }
}

/// Parses `text`, expecting it to fail; returns the diagnostics.
func parseErrors(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Diagnostic] {
  do {
    let node = try YAMLParser.parse(text, file: testFile)
    Issue.record("expected a parse error, got \(node)", sourceLocation: sourceLocation)
    return []
  } catch {
    return error.diagnostics
  }
}

func mapping(_ node: YAMLNode?, sourceLocation: SourceLocation = #_sourceLocation) -> YAMLMapping? {
  guard case .mapping(let m)? = node else {
    Issue.record("expected a mapping, got \(String(describing: node))", sourceLocation: sourceLocation)
    return nil
  }
  return m
}

func sequence(_ node: YAMLNode?, sourceLocation: SourceLocation = #_sourceLocation) -> YAMLSequence? {
  guard case .sequence(let s)? = node else {
    Issue.record("expected a sequence, got \(String(describing: node))", sourceLocation: sourceLocation)
    return nil
  }
  return s
}

func scalar(_ node: YAMLNode?, sourceLocation: SourceLocation = #_sourceLocation) -> YAMLScalar? {
  guard case .scalar(let s)? = node else {
    Issue.record("expected a scalar, got \(String(describing: node))", sourceLocation: sourceLocation)
    return nil
  }
  return s
}

/// Expects `node` to be a scalar with this text, style and position.
func expectScalar(
  _ node: YAMLNode?, _ text: String, _ style: YAMLScalar.Style = .plain, line: Int, column: Int,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let s = scalar(node, sourceLocation: sourceLocation) else { return }
  #expect(s.text == text, sourceLocation: sourceLocation)
  #expect(s.style == style, sourceLocation: sourceLocation)
  #expect(s.mark == Mark(file: testFile, line: line, column: column), sourceLocation: sourceLocation)
}

func at(_ line: Int, _ column: Int) -> Mark { Mark(file: testFile, line: line, column: column) }
