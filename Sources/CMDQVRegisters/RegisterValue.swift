/// A register's value: a stored raw integer plus typed field views, generated
/// per register from the register map.
public protocol RegisterValue: Hashable, Sendable, CustomStringConvertible {
  associatedtype Raw: FixedWidthInteger & UnsignedInteger & Sendable
  /// The value as it travels on the bus.
  var rawValue: Raw { get set }
  init(rawValue: Raw)
  /// The register's static description.
  static var info: RegisterInfo { get }
}

extension RegisterValue {
  /// The value the register holds after reset.
  public static var resetValue: Self { Self(rawValue: Raw(truncatingIfNeeded: info.reset)) }

  /// `CMDQV_CONFIG=0x00020083 {CMDQV_EN=1, …}`: the datasheet name, the hex
  /// value and every field decoded.
  public var description: String {
    let raw = UInt64(rawValue)
    let digits = Self.info.width / 4
    let hex = String(raw, radix: 16, uppercase: true)
    let padded = String(repeating: "0", count: max(0, digits - hex.count)) + hex
    let fields = Self.info.decodeFields(raw).joined(separator: ", ")
    return "\(Self.info.block)_\(Self.info.name)=0x\(padded) {\(fields)}"
  }

  /// Reads field `field` (generated accessors use this).
  public func field(_ field: FieldInfo) -> UInt64 { field.extract(from: UInt64(rawValue)) }

  /// Writes field `field`, truncating `value` to its width.
  public mutating func setField(_ field: FieldInfo, _ value: UInt64) {
    rawValue = Raw(truncatingIfNeeded: field.insert(value, into: UInt64(rawValue)))
  }
}
