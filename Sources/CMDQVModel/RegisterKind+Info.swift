import CMDQVRegisters

extension RegisterKind {
  /// The generated description of this register.
  var info: RegisterInfo {
    switch self {
    case .cmdqvConfig: CMDQVConfig.info
    case .cmdqvParam: CMDQVParam.info
    case .cmdqvStatus: CMDQVStatus.info
    case .viErrMap: VINTFErrMap.info
    case .viIntMask: VINTFIntMask.info
    case .cmdqErrMap: CMDQErrMap.info
    case .cmdqAlloc: CMDQAlloc.info
    case .vintfConfig: VINTFConfig.info
    case .vintfStatus: VINTFStatus.info
    case .sidMatch: VINTFSIDMatch.info
    case .sidReplace: VINTFSIDReplace.info
    case .lvcmdqErrMap: VINTFLVCMDQErrMap.info
    case .cons: VCMDQCons.info
    case .prod: VCMDQProd.info
    case .vcmdqConfig: VCMDQConfig.info
    case .vcmdqStatus: VCMDQStatus.info
    case .gerror: VCMDQGError.info
    case .gerrorn: VCMDQGErrorN.info
    case .base: VCMDQBase.info
    case .consIndexBase: VCMDQConsIndexBase.info
    case .smmuIDR1: SMMUIDR1.info
    case .smmuCR0: SMMUCR0.info
    case .smmuCR0Ack: SMMUCR0Ack.info
    case .smmuGError: SMMUGError.info
    case .smmuGErrorN: SMMUGErrorN.info
    case .smmuCMDQBase: SMMUCMDQBase.info
    case .smmuCMDQProd: SMMUCMDQProd.info
    case .smmuCMDQCons: SMMUCMDQCons.info
    }
  }
}
