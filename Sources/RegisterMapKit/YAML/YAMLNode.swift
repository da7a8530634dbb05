/// A node of a parsed YAML-subset document. Every node keeps the position it
/// came from, so that schema errors can point at the exact key or value.
///
/// The subset has no implicit typing: every scalar is kept as text and the
/// schema decides whether it is an integer, a boolean or a string.
public enum YAMLNode: Hashable, Sendable {
  case scalar(YAMLScalar)
  case mapping(YAMLMapping)
  case sequence(YAMLSequence)

  /// Where the node starts.
  public var mark: Mark {
    switch self {
    case .scalar(let s): s.mark
    case .mapping(let m): m.mark
    case .sequence(let s): s.mark
    }
  }

  /// `scalar`, `mapping` or `sequence`, for error messages.
  public var kindName: String {
    switch self {
    case .scalar: "scalar"
    case .mapping: "mapping"
    case .sequence: "sequence"
    }
  }
}

/// A scalar: its text (quotes removed, escapes resolved) and whether it was
/// quoted in the source.
public struct YAMLScalar: Hashable, Sendable {
  public var text: String
  /// How it was written. A quoted scalar is always a string.
  public var style: Style
  public var mark: Mark

  public enum Style: Hashable, Sendable { case plain, singleQuoted, doubleQuoted }

  public init(text: String, style: Style = .plain, mark: Mark) {
    self.text = text
    self.style = style
    self.mark = mark
  }
}

/// A block mapping, in source order. Keys are unique (the parser rejects a
/// duplicate key).
public struct YAMLMapping: Hashable, Sendable {
  public struct Entry: Hashable, Sendable {
    public var key: YAMLScalar
    public var value: YAMLNode
    public init(key: YAMLScalar, value: YAMLNode) {
      self.key = key
      self.value = value
    }
  }

  public var entries: [Entry]
  public var mark: Mark

  public init(entries: [Entry], mark: Mark) {
    self.entries = entries
    self.mark = mark
  }

  /// The value for `key`, if present.
  public subscript(key: String) -> YAMLNode? { entries.first { $0.key.text == key }?.value }
}

/// A block or flow sequence.
public struct YAMLSequence: Hashable, Sendable {
  public var items: [YAMLNode]
  public var mark: Mark
  /// `true` for `[a, b]`.
  public var isFlow: Bool

  public init(items: [YAMLNode], mark: Mark, isFlow: Bool = false) {
    self.items = items
    self.mark = mark
    self.isFlow = isFlow
  }
}
