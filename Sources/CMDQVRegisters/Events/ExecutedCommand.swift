/// A command the SMMU executed, as the SMMU saw it: after the CMDQV replaced a
/// guest's virtual StreamID and forced its VMID.
public struct ExecutedCommand: Hashable, Sendable {
  /// The command as executed (SID and VMID already rewritten).
  public var command: SMMUCommand
  /// The queue it came from.
  public var source: CommandQueueID
  /// The queue index (CONS, without wrap) it was fetched from.
  public var consIndex: UInt32
  /// The StreamID the guest wrote, when the CMDQV replaced it.
  public var virtualStreamID: UInt32?
  public var cycle: UInt64

  public init(
    command: SMMUCommand, source: CommandQueueID, consIndex: UInt32, virtualStreamID: UInt32? = nil, cycle: UInt64
  ) {
    self.command = command
    self.source = source
    self.consIndex = consIndex
    self.virtualStreamID = virtualStreamID
    self.cycle = cycle
  }

  public var opcode: CommandOpcode? { command.opcode }
  /// The physical StreamID for commands that carry one.
  public var streamID: UInt32? { command.opcode?.carriesStreamID == true ? command.streamID : nil }
  /// The VMID for TLBI commands that carry one.
  public var vmid: UInt16? { command.opcode?.carriesVMID == true ? command.vmid : nil }
  /// The ASID for TLBI_NH_ASID / TLBI_NH_VA.
  public var asid: UInt16? {
    command.opcode == .tlbiNHASID || command.opcode == .tlbiNHVA ? command.asid : nil
  }
  /// The address for TLBI_*_VA and ATC_INV.
  public var address: UInt64? {
    switch command.opcode {
    case .tlbiNHVA, .tlbiNHVAA, .atcInv, .tlbiS2IPA: command.address
    default: nil
    }
  }
}

extension ExecutedCommand {
  /// ``streamID``, ``vmid``, ``asid`` and ``address`` at once, decoding the
  /// opcode once (for encoders that write all four per command).
  public var decodedFields: (streamID: UInt32?, vmid: UInt16?, asid: UInt16?, address: UInt64?) {
    guard let op = command.opcode else { return (nil, nil, nil, nil) }
    let asid = op == .tlbiNHASID || op == .tlbiNHVA
    let address: Bool
    switch op {
    case .tlbiNHVA, .tlbiNHVAA, .atcInv, .tlbiS2IPA: address = true
    default: address = false
    }
    return (
      op.carriesStreamID ? command.streamID : nil, op.carriesVMID ? command.vmid : nil, asid ? command.asid : nil,
      address ? command.address : nil
    )
  }
}

extension ExecutedCommand: CustomStringConvertible {
  public var description: String {
    var s = "\(source) [\(consIndex)] \(command)"
    if let vsid = virtualStreamID { s += " (vSID 0x\(String(vsid, radix: 16)))" }
    return s
  }
}
