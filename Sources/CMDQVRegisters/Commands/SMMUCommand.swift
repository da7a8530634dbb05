/// One 16-byte SMMUv3 command-queue entry as two little-endian doublewords,
/// with builders and field views for the fields the CMDQV path uses
/// (layout: IHI 0070, QEMU smmuv3-internal.h, Linux arm-smmu-v3.h).
public struct SMMUCommand: Hashable, Sendable {
  public var dword0: UInt64
  public var dword1: UInt64

  public init(dword0: UInt64, dword1: UInt64 = 0) {
    self.dword0 = dword0
    self.dword1 = dword1
  }

  /// The 16 bytes as they sit in queue memory.
  public var bytes: [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: dword0 >> (8 * UInt64($0))) }
      + (0..<8).map { UInt8(truncatingIfNeeded: dword1 >> (8 * UInt64($0))) }
  }

  /// Decodes 16 little-endian bytes.
  public init(bytes: [UInt8]) {
    precondition(bytes.count == 16, "an SMMU command is 16 bytes, got \(bytes.count)")
    var d0: UInt64 = 0, d1: UInt64 = 0
    for i in 0..<8 {
      d0 |= UInt64(bytes[i]) << (8 * UInt64(i))
      d1 |= UInt64(bytes[8 + i]) << (8 * UInt64(i))
    }
    self.init(dword0: d0, dword1: d1)
  }

  // MARK: Field views

  /// `CMDQ_0_OP` [7:0].
  public var opcodeByte: UInt8 { UInt8(truncatingIfNeeded: dword0) }
  public var opcode: CommandOpcode? { CommandOpcode(rawValue: opcodeByte) }
  /// `SSEC` dword0[10].
  public var ssec: Bool { dword0 >> 10 & 1 == 1 }
  /// `SSV` dword0[11].
  public var ssv: Bool { dword0 >> 11 & 1 == 1 }
  /// `SSID` dword0[31:12].
  public var substreamID: UInt32 { UInt32(truncatingIfNeeded: dword0 >> 12) & 0xF_FFFF }
  /// StreamID, dword0[63:32] (commands that carry one).
  public var streamID: UInt32 {
    get { UInt32(truncatingIfNeeded: dword0 >> 32) }
    set { dword0 = (dword0 & 0xFFFF_FFFF) | UInt64(newValue) << 32 }
  }
  /// `VMID` dword0[47:32] (TLBI commands).
  public var vmid: UInt16 {
    get { UInt16(truncatingIfNeeded: dword0 >> 32) }
    set { dword0 = (dword0 & ~(0xFFFF << 32)) | UInt64(newValue) << 32 }
  }
  /// `ASID` dword0[63:48] (TLBI commands).
  public var asid: UInt16 { UInt16(truncatingIfNeeded: dword0 >> 48) }
  /// `ADDR` dword1[63:12] in place (TLBI_*_VA, ATC_INV).
  public var address: UInt64 { dword1 & ~0xFFF }
  /// `Leaf` dword1[0].
  public var leaf: Bool { dword1 & 1 == 1 }
  /// `CMDQ_SYNC_0_CS` [13:12]: 0 NONE, 1 IRQ, 2 SEV, 3 reserved.
  public var syncCompletionSignal: UInt8 { UInt8(truncatingIfNeeded: dword0 >> 12) & 3 }
  /// ATC_INV `Global` dword0[9].
  public var atcGlobal: Bool { dword0 >> 9 & 1 == 1 }
  /// ATC_INV `Size` dword1[5:0].
  public var atcSize: UInt8 { UInt8(truncatingIfNeeded: dword1) & 0x3F }

  // MARK: Builders

  /// `CMD_SYNC` with completion signal `cs` (VCMDQs accept only CS=NONE).
  public static func sync(cs: UInt8 = 0) -> SMMUCommand {
    SMMUCommand(dword0: UInt64(CommandOpcode.sync.rawValue) | UInt64(cs & 3) << 12)
  }

  /// `TLBI_NH_ASID`.
  public static func tlbiNHASID(asid: UInt16, vmid: UInt16 = 0) -> SMMUCommand {
    SMMUCommand(dword0: UInt64(CommandOpcode.tlbiNHASID.rawValue) | UInt64(vmid) << 32 | UInt64(asid) << 48)
  }

  /// `TLBI_NH_VA` for one page at `address`.
  public static func tlbiNHVA(asid: UInt16, vmid: UInt16 = 0, address: UInt64, leaf: Bool = true) -> SMMUCommand {
    SMMUCommand(
      dword0: UInt64(CommandOpcode.tlbiNHVA.rawValue) | UInt64(vmid) << 32 | UInt64(asid) << 48,
      dword1: (address & ~0xFFF) | (leaf ? 1 : 0))
  }

  /// `TLBI_NH_ALL` for `vmid`.
  public static func tlbiNHAll(vmid: UInt16 = 0) -> SMMUCommand {
    SMMUCommand(dword0: UInt64(CommandOpcode.tlbiNHAll.rawValue) | UInt64(vmid) << 32)
  }

  /// `TLBI_NSNH_ALL`.
  public static func tlbiNSNHAll() -> SMMUCommand {
    SMMUCommand(dword0: UInt64(CommandOpcode.tlbiNSNHAll.rawValue))
  }

  /// `ATC_INV` for `streamID`.
  public static func atcInv(
    streamID: UInt32, substreamID: UInt32? = nil, address: UInt64 = 0, size: UInt8 = 0, global: Bool = false
  ) -> SMMUCommand {
    var d0 = UInt64(CommandOpcode.atcInv.rawValue) | UInt64(streamID) << 32
    if let ssid = substreamID { d0 |= 1 << 11 | UInt64(ssid & 0xF_FFFF) << 12 }
    if global { d0 |= 1 << 9 }
    return SMMUCommand(dword0: d0, dword1: (address & ~0xFFF) | UInt64(size & 0x3F))
  }

  /// `CFGI_STE` for `streamID`.
  public static func cfgiSTE(streamID: UInt32, leaf: Bool = true) -> SMMUCommand {
    SMMUCommand(dword0: UInt64(CommandOpcode.cfgiSTE.rawValue) | UInt64(streamID) << 32, dword1: leaf ? 1 : 0)
  }

  /// `CFGI_CD` for `streamID` / `substreamID`.
  public static func cfgiCD(streamID: UInt32, substreamID: UInt32 = 0, leaf: Bool = true) -> SMMUCommand {
    SMMUCommand(
      dword0: UInt64(CommandOpcode.cfgiCD.rawValue) | UInt64(substreamID & 0xF_FFFF) << 12 | UInt64(streamID) << 32,
      dword1: leaf ? 1 : 0)
  }

  /// `CFGI_CD_ALL` for `streamID`.
  public static func cfgiCDAll(streamID: UInt32) -> SMMUCommand {
    SMMUCommand(dword0: UInt64(CommandOpcode.cfgiCDAll.rawValue) | UInt64(streamID) << 32)
  }

  /// An arbitrary opcode with the given dwords (for negative tests).
  public static func raw(opcode: UInt8, dword0High: UInt64 = 0, dword1: UInt64 = 0) -> SMMUCommand {
    SMMUCommand(dword0: UInt64(opcode) | dword0High << 8, dword1: dword1)
  }
}

extension SMMUCommand: CustomStringConvertible {
  /// `TLBI_NH_ASID asid=0x1 vmid=0x2 [0x0002000100000011 0x0]`.
  public var description: String {
    var parts = [opcode?.mnemonic ?? "OP_0x\(String(opcodeByte, radix: 16, uppercase: true))"]
    if let op = opcode {
      if op.carriesStreamID { parts.append("sid=0x\(String(streamID, radix: 16))") }
      if op.carriesVMID { parts.append("vmid=0x\(String(vmid, radix: 16))") }
      if op == .tlbiNHASID || op == .tlbiNHVA { parts.append("asid=0x\(String(asid, radix: 16))") }
      if op == .tlbiNHVA || op == .tlbiNHVAA || op == .atcInv { parts.append("addr=0x\(String(address, radix: 16))") }
      if op == .sync { parts.append("cs=\(syncCompletionSignal)") }
    }
    parts.append("[0x\(String(dword0, radix: 16)) 0x\(String(dword1, radix: 16))]")
    return parts.joined(separator: " ")
  }
}
