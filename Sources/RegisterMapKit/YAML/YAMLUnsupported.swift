/// YAML constructs the subset rejects when they start a key or value, each
/// with a message naming the construct so the author knows what to rewrite.
enum YAMLUnsupported {
  /// The message for a node starting with `c` (followed by `next`), or nil
  /// if `c` may start a plain scalar.
  static func message(startingWith c: Unicode.Scalar, next: Unicode.Scalar?) -> String? {
    switch c {
    case "&": "anchors (&name) are not supported"
    case "*": "aliases (*name) are not supported"
    case "!": "tags (!tag, !!type) are not supported"
    case "|", ">": "block scalars ('|' and '>') are not supported; use a quoted string on one line"
    case "{": "flow mappings are not supported; use a block mapping"
    case "%": "directives (%YAML, %TAG) are not supported"
    case "@", "`": "'\(c)' is reserved and cannot start a plain scalar; quote the value"
    case ",", "]", "}": "unexpected '\(c)'"
    case "?" where next == nil || YAMLLine.isBlank(next): "complex keys ('? ') are not supported"
    default: nil
    }
  }
}
