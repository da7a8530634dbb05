import CMDQVRegisters

/// A command error a guest sees on its LVCMDQ: CONS.ERR and where CONS stopped.
public struct GuestQueueError: Error, Hashable, CustomStringConvertible {
  /// `CERROR_*` from CONS.ERR.
  public var code: UInt8
  /// The CONS value (index and wrap) of the faulting entry.
  public var consIndex: UInt32

  public var description: String {
    let name = CommandErrorCode(rawValue: code)?.mnemonic ?? "0x\(String(code, radix: 16))"
    return "LVCMDQ error CERROR_\(name) at CONS 0x\(String(consIndex, radix: 16))"
  }
}
