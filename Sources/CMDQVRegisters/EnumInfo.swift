/// A named encoding for a coded field (for example `CONS.ERR`: 0 `NONE`,
/// 1 `ILL`, …).
public struct EnumInfo: Hashable, Sendable {
  /// The enumeration's datasheet name, for example `CERROR`.
  public let name: String
  /// The named values, in map order.
  public let cases: [(name: String, value: UInt64)]

  public init(name: String, cases: [(name: String, value: UInt64)]) {
    self.name = name
    self.cases = cases
  }

  /// The name of `value`, or `nil` when it has none.
  public func name(of value: UInt64) -> String? {
    cases.first { $0.value == value }?.name
  }

  public static func == (lhs: EnumInfo, rhs: EnumInfo) -> Bool {
    lhs.name == rhs.name && lhs.cases.elementsEqual(rhs.cases) { $0 == $1 }
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(name)
    for c in cases { hasher.combine(c.name); hasher.combine(c.value) }
  }
}
