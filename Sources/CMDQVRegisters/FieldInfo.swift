/// Static description of one register field: its bit range, access and
/// meaning, as written in the register map.
public struct FieldInfo: Hashable, Sendable {
  /// The datasheet mnemonic, for example `CMDQV_EN`.
  public let name: String
  /// Least significant bit.
  public let lsb: Int
  /// Most significant bit (inclusive).
  public let msb: Int
  public let access: FieldAccess
  /// The value this field takes at reset.
  public let reset: UInt64
  public let description: String
  /// A named encoding for coded fields.
  public let enumeration: EnumInfo?

  public init(
    name: String, lsb: Int, msb: Int, access: FieldAccess, reset: UInt64 = 0,
    description: String = "", enumeration: EnumInfo? = nil
  ) {
    self.name = name
    self.lsb = lsb
    self.msb = msb
    self.access = access
    self.reset = reset
    self.description = description
    self.enumeration = enumeration
  }

  /// Number of bits.
  public var width: Int { msb - lsb + 1 }

  /// The field's bits in place.
  public var mask: UInt64 {
    let ones: UInt64 = width >= 64 ? ~0 : (1 << UInt64(width)) - 1
    return ones << UInt64(lsb)
  }

  /// This field's value extracted from a register value.
  public func extract(from registerValue: UInt64) -> UInt64 {
    (registerValue & mask) >> UInt64(lsb)
  }

  /// `registerValue` with this field replaced by `fieldValue` (truncated to
  /// the field's width).
  public func insert(_ fieldValue: UInt64, into registerValue: UInt64) -> UInt64 {
    (registerValue & ~mask) | ((fieldValue << UInt64(lsb)) & mask)
  }

  /// `NAME=value`, with the enumeration name when there is one
  /// (`ERR=1(ILL)`).
  public func render(_ fieldValue: UInt64) -> String {
    let number = width == 1 ? "\(fieldValue)" : "0x\(String(fieldValue, radix: 16, uppercase: true))"
    if let name = enumeration?.name(of: fieldValue) { return "\(self.name)=\(number)(\(name))" }
    return "\(self.name)=\(number)"
  }

  /// The bit range as the datasheet writes it: `[0]` or `[20:15]`.
  public var bitRange: String { lsb == msb ? "[\(lsb)]" : "[\(msb):\(lsb)]" }
}
