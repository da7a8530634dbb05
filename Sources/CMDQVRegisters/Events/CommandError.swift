/// A command the queue refused: `CONS.ERR` got `code` and the queue stalled at
/// the faulting entry.
public struct CommandError: Hashable, Sendable {
  public var source: CommandQueueID
  /// The queue index of the faulting entry (CONS, without wrap).
  public var consIndex: UInt32
  /// `CERROR_*`: 1 ILL, 2 ABT, 3 ATC_INV_SYNC, 4 ILL_ACCESS.
  public var code: UInt8
  /// The faulting command, `nil` for a fetch abort.
  public var command: SMMUCommand?
  /// Which rule the command broke, in words.
  public var reason: String

  public init(source: CommandQueueID, consIndex: UInt32, code: UInt8, command: SMMUCommand?, reason: String) {
    self.source = source
    self.consIndex = consIndex
    self.code = code
    self.command = command
    self.reason = reason
  }

  /// `ILL`, `ABT`, … for `code` (the map's `CERROR` names).
  public var codeName: String {
    CommandErrorCode(rawValue: code)?.mnemonic ?? "0x\(String(code, radix: 16))"
  }
}

extension CommandError: CustomStringConvertible {
  public var description: String {
    "\(source) [\(consIndex)] CERROR_\(codeName): \(reason)" + (command.map { " (\($0))" } ?? "")
  }
}
