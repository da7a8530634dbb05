import CMDQVRegisters

/// Every register of both apertures, as the decoder names it. The raw value
/// indexes the per-register access masks.
enum RegisterKind: UInt8, CaseIterable {
  // CMDQV CONFIG page.
  case cmdqvConfig, cmdqvParam, cmdqvStatus, viErrMap, viIntMask, cmdqErrMap, cmdqAlloc
  // VINTF block.
  case vintfConfig, vintfStatus, sidMatch, sidReplace, lvcmdqErrMap
  // VCMDQ page 0 and page 1.
  case cons, prod, vcmdqConfig, vcmdqStatus, gerror, gerrorn, base, consIndexBase
  // SMMU.
  case smmuIDR1, smmuCR0, smmuCR0Ack, smmuGError, smmuGErrorN, smmuCMDQBase, smmuCMDQProd, smmuCMDQCons

  /// Register width in bits.
  var width: Int {
    switch self {
    case .viErrMap, .viIntMask, .lvcmdqErrMap, .base, .consIndexBase, .smmuCMDQBase: 64
    default: 32
    }
  }

  /// Whether the register accepts a single 64-bit access (the others take
  /// 32-bit halves only, like VI_ERR_MAP at 0x14 which is not 8-byte aligned).
  var allows64: Bool {
    switch self {
    case .lvcmdqErrMap, .base, .consIndexBase, .smmuCMDQBase: true
    default: false
    }
  }

  /// Bits software may change; everything else keeps its value on write
  /// (read-only, reserved). A private copy of the generated map's masks, kept
  /// so a test proves the two agree.
  var privateWritableMask: UInt64 {
    switch self {
    case .cmdqvConfig: 0x001F_FFFF
    case .viIntMask: ~0
    case .cmdqAlloc: 0x001F_80FF
    case .vintfConfig: 0x0003_FFFF
    case .sidMatch: 0x001F_FFFF
    case .sidReplace: 0x000F_FFFF
    case .cons: 0x000F_FFFF
    case .prod: 0x000F_FFFF
    case .vcmdqConfig: 0x1
    case .gerrorn: 0x7
    case .base: 0x0000_FFFF_FFFF_FFFF
    case .consIndexBase: ~0
    case .smmuCR0: 0xD
    case .smmuGErrorN: 0x1
    case .smmuCMDQBase: 0x400F_FFFF_FFFF_FFFF
    case .smmuCMDQProd: 0x000F_FFFF
    case .smmuCMDQCons: 0x000F_FFFF
    case .cmdqvParam, .cmdqvStatus, .viErrMap, .cmdqErrMap, .vintfStatus, .lvcmdqErrMap, .vcmdqStatus, .gerror,
      .smmuIDR1, .smmuCR0Ack, .smmuGError:
      0
    }
  }

  /// The datasheet name, for snapshots and messages.
  var name: String {
    switch self {
    case .cmdqvConfig: "CONFIG"
    case .cmdqvParam: "PARAM"
    case .cmdqvStatus: "STATUS"
    case .viErrMap: "VI_ERR_MAP"
    case .viIntMask: "VI_INT_MASK"
    case .cmdqErrMap: "CMDQ_ERR_MAP"
    case .cmdqAlloc: "CMDQ_ALLOC"
    case .vintfConfig: "CONFIG"
    case .vintfStatus: "STATUS"
    case .sidMatch: "SID_MATCH"
    case .sidReplace: "SID_REPLACE"
    case .lvcmdqErrMap: "LVCMDQ_ERR_MAP"
    case .cons: "CONS"
    case .prod: "PROD"
    case .vcmdqConfig: "CONFIG"
    case .vcmdqStatus: "STATUS"
    case .gerror: "GERROR"
    case .gerrorn: "GERRORN"
    case .base: "BASE"
    case .consIndexBase: "CONS_INDX_BASE"
    case .smmuIDR1: "IDR1"
    case .smmuCR0: "CR0"
    case .smmuCR0Ack: "CR0ACK"
    case .smmuGError: "GERROR"
    case .smmuGErrorN: "GERRORN"
    case .smmuCMDQBase: "CMDQ_BASE"
    case .smmuCMDQProd: "CMDQ_PROD"
    case .smmuCMDQCons: "CMDQ_CONS"
    }
  }
}
