/// A field as declared in a register map file.
public struct FieldSpec: Hashable, Sendable {
  public var name: String
  public var swiftName: String
  public var lsb: Int
  public var msb: Int
  /// `rw`, `ro`, `wo`, `w1c` or `rsvd`.
  public var access: String
  public var reset: UInt64?
  public var enumName: String?
  public var description: String
  public var mark: Mark

  public var width: Int { msb - lsb + 1 }
  public var mask: UInt64 { (width >= 64 ? ~0 : (UInt64(1) << UInt64(width)) - 1) << UInt64(lsb) }
  public var bitRange: String { lsb == msb ? "[\(lsb)]" : "[\(msb):\(lsb)]" }
}
