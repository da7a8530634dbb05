/// Static description of one register (one entry of the register map),
/// shared by the generated value types, the hardware model, the trace decoder
/// and the tests.
public struct RegisterInfo: Hashable, Sendable {
  /// The datasheet mnemonic within its block, for example `SID_MATCH`.
  public let name: String
  /// The block the register belongs to, for example `VINTF`.
  public let block: String
  /// Offset within one instance of its block.
  public let offset: Int
  /// Register width in bits: 32 or 64.
  public let width: Int
  /// Number of instances within one block instance (1 unless it is an array
  /// like `SID_MATCH(0..15)`).
  public let count: Int
  /// Byte distance between instances of an array register.
  public let stride: Int
  /// The access widths the hardware accepts, in bits (a 64-bit register that
  /// is not 8-byte aligned accepts only 32-bit halves).
  public let accessWidths: [Int]
  /// Reset value (for registers whose value comes from the device
  /// configuration, see ``valueFromConfiguration``).
  public let reset: UInt64
  /// `true` when the value is set by the device configuration (`PARAM`).
  public let valueFromConfiguration: Bool
  public let fields: [FieldInfo]
  public let description: String
  /// Where the definition comes from (a kernel macro or QEMU header name).
  public let source: String

  /// Bits software can change.
  public let writableMask: UInt64
  /// Bits whose writes are ignored (read-only fields, and bits no field covers).
  public let readOnlyMask: UInt64
  /// Bits cleared by writing one.
  public let w1cMask: UInt64
  /// Bits declared reserved: preserved on write.
  public let reservedMask: UInt64
  /// Bits that read as zero (write-only fields).
  public let writeOnlyMask: UInt64

  public init(
    name: String, block: String, offset: Int, width: Int, count: Int = 1, stride: Int = 0,
    accessWidths: [Int]? = nil, reset: UInt64, valueFromConfiguration: Bool = false,
    fields: [FieldInfo], description: String = "", source: String = ""
  ) {
    self.name = name
    self.block = block
    self.offset = offset
    self.width = width
    self.count = count
    self.stride = stride
    self.accessWidths = accessWidths ?? (width == 64 ? [32, 64] : [32])
    self.reset = reset
    self.valueFromConfiguration = valueFromConfiguration
    self.fields = fields
    self.description = description
    self.source = source
    var writable: UInt64 = 0, w1c: UInt64 = 0, reserved: UInt64 = 0, writeOnly: UInt64 = 0
    for field in fields {
      switch field.access {
      case .readWrite: writable |= field.mask
      case .writeOnly: writable |= field.mask; writeOnly |= field.mask
      case .writeOneToClear: w1c |= field.mask
      case .reserved: reserved |= field.mask
      case .readOnly: break
      }
    }
    let all: UInt64 = width == 64 ? ~0 : 0xFFFF_FFFF
    self.writableMask = writable
    self.w1cMask = w1c
    self.reservedMask = reserved
    self.writeOnlyMask = writeOnly
    self.readOnlyMask = all & ~(writable | w1c | reserved)
  }

  /// All bits of the register.
  public var widthMask: UInt64 { width == 64 ? ~0 : 0xFFFF_FFFF }

  /// The value a software write of `value` leaves in a register that held
  /// `old`: read-only and reserved bits keep their value, W1C bits clear where
  /// one is written, writable bits take the new value.
  public func applyWrite(_ value: UInt64, to old: UInt64) -> UInt64 {
    let kept = old & (readOnlyMask | reservedMask | w1cMask)
    let cleared = kept & ~(value & w1cMask)
    return (cleared | (value & writableMask)) & widthMask
  }

  /// The value software reads from stored `value` (write-only bits read 0).
  public func applyRead(_ value: UInt64) -> UInt64 { value & ~writeOnlyMask & widthMask }

  /// The field called `name`, if any.
  public func field(named name: String) -> FieldInfo? { fields.first { $0.name == name } }

  /// `NAME=value` for each field, in bit order.
  public func decodeFields(_ value: UInt64) -> [String] {
    fields.map { $0.render($0.extract(from: value)) }
  }

  /// The fields whose value differs between `old` and `new`, as
  /// `NAME: old->new`.
  public func changedFields(from old: UInt64, to new: UInt64) -> [(field: FieldInfo, old: UInt64, new: UInt64)] {
    fields.compactMap { f in
      let o = f.extract(from: old), n = f.extract(from: new)
      return o == n ? nil : (f, o, n)
    }
  }

  public static func == (lhs: RegisterInfo, rhs: RegisterInfo) -> Bool {
    lhs.block == rhs.block && lhs.name == rhs.name && lhs.offset == rhs.offset
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(block)
    hasher.combine(name)
    hasher.combine(offset)
  }
}
