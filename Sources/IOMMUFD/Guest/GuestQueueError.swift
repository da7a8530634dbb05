import CMDQVRegisters

/// A command error a guest sees on its LVCMDQ: CONS.ERR and where CONS stopped.
public struct GuestQueueError: Error, Hashable, CustomStringConvertible {
  /// CONS.ERR as read (7 bits).
  public var rawCode: UInt8
  /// The CONS value (index and wrap) of the faulting entry.
  public var consIndex: UInt32

  public init(rawCode: UInt8, consIndex: UInt32) {
    self.rawCode = rawCode
    self.consIndex = consIndex
  }

  /// CONS.ERR decoded as `CERROR_*` (`.ill`, `.abt`, `.atcInvSync`,
  /// `.illAccess`), or `nil` for a value the register map does not name.
  public var code: CommandErrorCode? { CommandErrorCode(rawValue: rawCode) }

  public var description: String {
    let name = code?.mnemonic ?? "0x\(String(rawCode, radix: 16))"
    return "LVCMDQ error CERROR_\(name) at CONS 0x\(String(consIndex, radix: 16))"
  }
}
