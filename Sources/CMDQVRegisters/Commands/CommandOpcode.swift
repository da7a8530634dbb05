/// SMMUv3 command opcodes (`CMDQ_OP_*` in arm-smmu-v3.h, `SMMUCommandType` in
/// QEMU), the low byte of a command's first doubleword.
public enum CommandOpcode: UInt8, CaseIterable, Sendable {
  case prefetchConfig = 0x01
  case prefetchAddr = 0x02
  case cfgiSTE = 0x03
  /// `CFGI_STE_RANGE`; with Range=31 it is `CFGI_ALL`.
  case cfgiSTERange = 0x04
  case cfgiCD = 0x05
  case cfgiCDAll = 0x06
  case tlbiNHAll = 0x10
  case tlbiNHASID = 0x11
  case tlbiNHVA = 0x12
  case tlbiNHVAA = 0x13
  case tlbiEL3All = 0x18
  case tlbiEL3VA = 0x1A
  case tlbiEL2All = 0x20
  case tlbiEL2ASID = 0x21
  case tlbiEL2VA = 0x22
  case tlbiEL2VAA = 0x23
  case tlbiS12VMALL = 0x28
  case tlbiS2IPA = 0x2A
  case tlbiNSNHAll = 0x30
  case atcInv = 0x40
  case priResp = 0x41
  case resume = 0x44
  case stallTerm = 0x45
  case sync = 0x46

  /// The kernel mnemonic, for example `TLBI_NH_ASID`.
  public var mnemonic: String { staticMnemonic.description }

  /// ``mnemonic`` as a literal, for encoders that copy its bytes without
  /// creating a `String`.
  public var staticMnemonic: StaticString {
    switch self {
    case .prefetchConfig: "PREFETCH_CONFIG"
    case .prefetchAddr: "PREFETCH_ADDR"
    case .cfgiSTE: "CFGI_STE"
    case .cfgiSTERange: "CFGI_STE_RANGE"
    case .cfgiCD: "CFGI_CD"
    case .cfgiCDAll: "CFGI_CD_ALL"
    case .tlbiNHAll: "TLBI_NH_ALL"
    case .tlbiNHASID: "TLBI_NH_ASID"
    case .tlbiNHVA: "TLBI_NH_VA"
    case .tlbiNHVAA: "TLBI_NH_VAA"
    case .tlbiEL3All: "TLBI_EL3_ALL"
    case .tlbiEL3VA: "TLBI_EL3_VA"
    case .tlbiEL2All: "TLBI_EL2_ALL"
    case .tlbiEL2ASID: "TLBI_EL2_ASID"
    case .tlbiEL2VA: "TLBI_EL2_VA"
    case .tlbiEL2VAA: "TLBI_EL2_VAA"
    case .tlbiS12VMALL: "TLBI_S12_VMALL"
    case .tlbiS2IPA: "TLBI_S2_IPA"
    case .tlbiNSNHAll: "TLBI_NSNH_ALL"
    case .atcInv: "ATC_INV"
    case .priResp: "PRI_RESP"
    case .resume: "RESUME"
    case .stallTerm: "STALL_TERM"
    case .sync: "CMD_SYNC"
    }
  }

  /// Whether dword0[63:32] holds a StreamID (PREFETCH_*, CFGI_*, ATC_INV,
  /// PRI_RESP, RESUME, STALL_TERM). CFGI_STE_RANGE with Range=31 (CFGI_ALL)
  /// still carries the field, ignored.
  public var carriesStreamID: Bool {
    switch self {
    case .prefetchConfig, .prefetchAddr, .cfgiSTE, .cfgiSTERange, .cfgiCD, .cfgiCDAll, .atcInv, .priResp,
      .resume, .stallTerm:
      true
    default: false
    }
  }

  /// Whether the command is a stage-1 TLBI carrying VMID in dword0[47:32].
  public var carriesVMID: Bool {
    switch self {
    case .tlbiNHAll, .tlbiNHASID, .tlbiNHVA, .tlbiNHVAA, .tlbiS12VMALL, .tlbiS2IPA: true
    default: false
    }
  }
}

extension CommandOpcode: CustomStringConvertible {
  public var description: String { mnemonic }
}
