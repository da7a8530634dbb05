import CMDQVRegisters

/// An offset decoded to a register: which one, which instance, and which
/// 32-bit half of a 64-bit register; or why it does not decode. Packed into
/// one word so it travels in a register (a multi-field struct returned
/// through memory cost a store-forwarding stall on every access).
struct DecodedAccess {
  private var bits: UInt64

  init(_ kind: RegisterKind, index: Int = 0, sub: Int = 0, half: Int = 0, logical: Bool = false) {
    bits =
      UInt64(kind.rawValue) | UInt64(truncatingIfNeeded: index & 0xFFFF) << 8
      | UInt64(truncatingIfNeeded: sub & 0xFF) << 24 | UInt64(truncatingIfNeeded: half & 0xF) << 32
      | (logical ? 1 << 36 : 0)
  }

  static func fault(_ reason: AccessFault.Reason) -> DecodedAccess {
    var d = DecodedAccess(.cmdqvParam)
    d.bits |= UInt64(Self.faultCode(reason)) << 40
    return d
  }

  // Only `init` writes the kind byte, always from a valid case, so the
  // failable `init(rawValue:)` (an out-of-line call) is not needed.
  var kind: RegisterKind { unsafeBitCast(UInt8(truncatingIfNeeded: bits), to: RegisterKind.self) }
  /// VINTF (VINTF block), global VCMDQ (queue pages, CMDQ_ALLOC) or map word.
  var index: Int {
    get { Int(bits >> 8 & 0xFFFF) }
    set { bits = bits & ~(0xFFFF << 8) | UInt64(truncatingIfNeeded: newValue & 0xFFFF) << 8 }
  }
  /// SID slot or LVCMDQ_ERR_MAP word.
  var sub: Int { Int(bits >> 24 & 0xFF) }
  /// 0, or 4 for the upper half of a 64-bit register.
  var half: Int { Int(bits >> 32 & 0xF) }
  /// Reached through a VINTF logical page.
  var logical: Bool {
    get { bits >> 36 & 1 != 0 }
    set { bits = newValue ? bits | 1 << 36 : bits & ~(1 << 36) }
  }
  /// Non-nil when the access must be ignored.
  var fault: AccessFault.Reason? {
    switch bits >> 40 & 0xF {
    case 0: nil
    case 1: .unmapped
    case 2: .misaligned
    case 3: .unsupportedWidth
    case 4: .unassignedLogicalQueue
    case 5: .absentInConfiguration
    default: .outsideGuestWindow
    }
  }
  var isFault: Bool { bits >> 40 & 0xF != 0 }

  private static func faultCode(_ reason: AccessFault.Reason) -> Int {
    switch reason {
    case .unmapped: 1
    case .misaligned: 2
    case .unsupportedWidth: 3
    case .unassignedLogicalQueue: 4
    case .absentInConfiguration: 5
    case .outsideGuestWindow: 6
    }
  }
}
