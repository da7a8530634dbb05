/// Reads one YAML mapping against a fixed set of keys, collecting
/// diagnostics (unknown keys, missing keys, wrong node kinds, bad scalars)
/// instead of stopping at the first.
struct MappingReader {
  let mapping: YAMLMapping
  /// What the mapping describes, for messages ("register 'CONFIG'").
  let context: String

  init(_ node: YAMLNode, context: String, allowed: [String], diagnostics: inout [Diagnostic]) {
    if case .mapping(let m) = node {
      mapping = m
    } else {
      mapping = YAMLMapping(entries: [], mark: node.mark)
      diagnostics.append(Diagnostic("\(context) must be a mapping, found a \(node.kindName)", at: node.mark))
    }
    self.context = context
    for entry in mapping.entries where !allowed.contains(entry.key.text) {
      let known = allowed.joined(separator: ", ")
      diagnostics.append(
        Diagnostic("unknown key '\(entry.key.text)' in \(context); expected one of: \(known)", at: entry.key.mark))
    }
  }

  var mark: Mark { mapping.mark }

  func node(_ key: String) -> YAMLNode? { mapping[key] }

  func keyMark(_ key: String) -> Mark { mapping.entries.first { $0.key.text == key }?.key.mark ?? mapping.mark }

  /// A required or optional scalar.
  func scalar(_ key: String, required: Bool, _ diagnostics: inout [Diagnostic]) -> YAMLScalar? {
    guard let node = mapping[key] else {
      if required { diagnostics.append(Diagnostic("missing key '\(key)' in \(context)", at: mapping.mark)) }
      return nil
    }
    guard case .scalar(let s) = node else {
      diagnostics.append(Diagnostic("'\(key)' in \(context) must be a scalar, found a \(node.kindName)", at: node.mark))
      return nil
    }
    return s
  }

  func string(_ key: String, required: Bool, _ diagnostics: inout [Diagnostic]) -> String? {
    guard let s = scalar(key, required: required, &diagnostics) else { return nil }
    if required && s.text.isEmpty {
      diagnostics.append(Diagnostic("'\(key)' in \(context) must not be empty", at: s.mark))
      return nil
    }
    return s.text
  }

  /// An identifier-like name: letters, digits and underscores.
  func identifier(_ key: String, required: Bool, _ diagnostics: inout [Diagnostic]) -> String? {
    guard let s = scalar(key, required: required, &diagnostics) else { return nil }
    let ok =
      !s.text.isEmpty && s.text.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
      && !("0"..."9").contains(s.text.unicodeScalars.first!)
    if !ok {
      diagnostics.append(Diagnostic("'\(key)' in \(context) must be an identifier (letters, digits, '_'), got '\(s.text)'", at: s.mark))
      return nil
    }
    return s.text
  }

  func integer(_ key: String, bits: Int = 64, required: Bool, _ diagnostics: inout [Diagnostic]) -> UInt64? {
    guard let s = scalar(key, required: required, &diagnostics) else { return nil }
    do {
      return try s.integer(bits: bits)
    } catch {
      diagnostics.append(error)
      return nil
    }
  }

  func int(_ key: String, required: Bool, _ diagnostics: inout [Diagnostic]) -> Int? {
    integer(key, bits: 62, required: required, &diagnostics).map { Int($0) }
  }

  /// An integer that must lie in `range`; out of range is an error at the
  /// value naming the range.
  func int(_ key: String, in range: ClosedRange<Int>, required: Bool, _ diagnostics: inout [Diagnostic]) -> Int? {
    guard let v = integer(key, bits: 62, required: required, &diagnostics).map({ Int($0) }) else { return nil }
    guard range.contains(v) else {
      let hex = { (n: Int) in "0x" + String(n, radix: 16, uppercase: true) }
      let shown = range.upperBound >= 0x1000 ? "\(hex(range.lowerBound))...\(hex(range.upperBound))" : "\(range)"
      diagnostics.append(Diagnostic("'\(key)' in \(context) must be in \(shown), got \(hex(v))", at: node(key)!.mark))
      return nil
    }
    return v
  }

  /// A sequence (block or flow); `nil` when absent.
  func sequence(_ key: String, required: Bool, _ diagnostics: inout [Diagnostic]) -> YAMLSequence? {
    guard let node = mapping[key] else {
      if required { diagnostics.append(Diagnostic("missing key '\(key)' in \(context)", at: mapping.mark)) }
      return nil
    }
    guard case .sequence(let s) = node else {
      diagnostics.append(Diagnostic("'\(key)' in \(context) must be a sequence, found a \(node.kindName)", at: node.mark))
      return nil
    }
    return s
  }
}
