import CMDQVRegisters

/// What ``CMDQVDevice/executeOne(_:)`` needs to know about an opcode byte,
/// as bits of one table entry per byte (`CMDQVDevice.opcodeTraits`): one
/// load per command instead of decoding the `CommandOpcode` enum (an
/// out-of-line call across modules) and asking it three questions.
enum OpcodeTraits {
  /// A known opcode that needs no field check before it runs (not CMD_SYNC,
  /// not one of the SSEC-checked prefetch/CFGI commands). 0 for unknown bytes.
  static let plain: UInt8 = 1
  /// Accepted from a guest-owned VINTF (TLBI_NH_ASID, TLBI_NH_VA, ATC_INV, CMD_SYNC).
  static let guestAccepted: UInt8 = 2
  /// ``CommandOpcode/carriesStreamID``.
  static let carriesStreamID: UInt8 = 4
  /// ``CommandOpcode/carriesVMID``.
  static let carriesVMID: UInt8 = 8
  /// CMD_SYNC.
  static let sync: UInt8 = 16

  /// The entry for `op`.
  static func traits(of op: CommandOpcode) -> UInt8 {
    var t: UInt8 = 0
    switch op {
    case .sync, .prefetchConfig, .prefetchAddr, .cfgiSTE, .cfgiSTERange, .cfgiCD, .cfgiCDAll: break
    default: t |= plain
    }
    switch op {
    case .tlbiNHASID, .tlbiNHVA, .atcInv, .sync: t |= guestAccepted
    default: break
    }
    if op.carriesStreamID { t |= carriesStreamID }
    if op.carriesVMID { t |= carriesVMID }
    if op == .sync { t |= sync }
    return t
  }

  /// A 256-entry table indexed by opcode byte (0 for unknown bytes); the caller deallocates it.
  static func makeTable() -> UnsafeMutablePointer<UInt8> {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    table.initialize(repeating: 0, count: 256)
    for op in CommandOpcode.allCases { table[Int(op.rawValue)] = traits(of: op) }
    return table
  }
}
