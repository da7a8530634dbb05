import RegisterMapKit

/// Reads one YAML mapping of a scenario against its allowed keys, adding
/// positioned diagnostics (unknown key, missing key, wrong kind, bad scalar)
/// to a shared list instead of stopping at the first.
final class ScenarioFields {
  let mapping: YAMLMapping
  let context: String
  let sink: DiagnosticSink

  init(_ node: YAMLNode, context: String, allowed: [String], sink: DiagnosticSink) {
    self.sink = sink
    self.context = context
    switch node {
    case .mapping(let m): mapping = m
    case .scalar(let s) where s.text.isEmpty && s.style == .plain:
      mapping = YAMLMapping(entries: [], mark: node.mark)  // `- close:` with nothing after it
    default:
      mapping = YAMLMapping(entries: [], mark: node.mark)
      sink.add("\(context) must be a mapping, found a \(node.kindName)", at: node.mark)
    }
    for entry in mapping.entries where !allowed.contains(entry.key.text) {
      sink.add(
        "unknown key '\(entry.key.text)' in \(context); expected one of: \(allowed.joined(separator: ", "))",
        at: entry.key.mark)
    }
  }

  var mark: Mark { mapping.mark }
  func has(_ key: String) -> Bool { mapping[key] != nil }
  func keyMark(_ key: String) -> Mark { mapping.entries.first { $0.key.text == key }?.key.mark ?? mapping.mark }

  func scalar(_ key: String, required: Bool) -> YAMLScalar? {
    guard let node = mapping[key] else {
      if required { sink.add("missing key '\(key)' in \(context)", at: mapping.mark) }
      return nil
    }
    guard case .scalar(let s) = node else {
      sink.add("'\(key)' in \(context) must be a scalar, found a \(node.kindName)", at: node.mark)
      return nil
    }
    return s
  }

  func string(_ key: String, required: Bool = false) -> String? {
    guard let s = scalar(key, required: required) else { return nil }
    if s.text.isEmpty {
      sink.add("'\(key)' in \(context) must not be empty", at: s.mark)
      return nil
    }
    return s.text
  }

  func integer(_ key: String, bits: Int = 64, required: Bool = false) -> UInt64? {
    guard let s = scalar(key, required: required) else { return nil }
    return sink.integer(s, bits: bits)
  }

  /// An integer in `range`, with a message naming the range.
  func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
    guard let s = scalar(key, required: required) else { return nil }
    return sink.int(s, in: range, what: "'\(key)' in \(context)")
  }

  func bool(_ key: String) -> Bool? {
    guard let s = scalar(key, required: false) else { return nil }
    do { return try s.bool() } catch {
      sink.add(error)
      return nil
    }
  }

  func sequence(_ key: String, required: Bool = false) -> YAMLSequence? {
    guard let node = mapping[key] else {
      if required { sink.add("missing key '\(key)' in \(context)", at: mapping.mark) }
      return nil
    }
    guard case .sequence(let s) = node else {
      sink.add("'\(key)' in \(context) must be a sequence, found a \(node.kindName)", at: node.mark)
      return nil
    }
    return s
  }
}
