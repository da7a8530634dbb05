import CMDQVRegisters

extension CMDQVDevice {
  /// Decodes a CMDQV aperture offset by page and offset arithmetic (no
  /// tables), resolving VINTF logical pages through the CMDQ_ALLOC alias map.
  func decode(_ offset: Int) -> DecodedAccess {
    typealias O = CMDQVOffsets
    guard offset >= 0, offset < O.apertureSize else { return .fault(.unmapped) }
    if offset >= O.vintfPageBase {
      // The hottest case (every guest/kernel queue access), kept free of calls.
      let rel = offset - O.vintfPageBase
      let within = rel & 0x1_FFFF
      let r = within & 0x7F
      var d: DecodedAccess
      if within >= O.logicalPage1 {
        guard r < 0x10 else { return .fault(.unmapped) }
        d = DecodedAccess(r < 8 ? .base : .consIndexBase, half: r & 4)
      } else {
        guard r < 0x18 else { return .fault(.unmapped) }
        // CONS, PROD, CONFIG, STATUS, GERROR, GERRORN are consecutive cases.
        d = DecodedAccess(unsafeBitCast(RegisterKind.cons.rawValue &+ UInt8(r >> 2), to: RegisterKind.self))
      }
      let lidx = (within & 0xFFFF) >> 7
      guard lidx < O.maxLVCMDQs else { return .fault(.unmapped) }
      let vintf = rel >> 17
      guard vintf < numVINTFs else { return .fault(.absentInConfiguration) }
      let q = Int(logicalMap[vintf &* O.maxLVCMDQs &+ lidx])
      guard q >= 0 else { return .fault(.unassignedLogicalQueue) }
      d.index = q
      d.logical = true
      return d
    }
    if offset >= O.vcmdqPage0 {
      let page1 = offset >= O.vcmdqPage1
      let rel = offset - (page1 ? O.vcmdqPage1 : O.vcmdqPage0)
      var d = decodeQueueRegister(rel & 0x7F, page1: page1)
      guard !d.isFault else { return d }
      let q = rel >> 7
      guard q < O.maxVCMDQs else { return .fault(.unmapped) }
      guard q < numVCMDQs else { return .fault(.absentInConfiguration) }
      d.index = q
      return d
    }
    if offset >= O.vintfBase {
      let v = (offset - O.vintfBase) >> 8
      guard v < O.maxVINTFs else { return .fault(.unmapped) }
      let r = offset & 0xFF
      var d: DecodedAccess
      switch r {
      case 0x00...0x03: d = DecodedAccess(.vintfConfig, index: v)
      case 0x04...0x07: d = DecodedAccess(.vintfStatus, index: v)
      case 0x40...0x7F:
        d = DecodedAccess(.sidMatch, index: v, sub: (r - 0x40) >> 2)
        guard d.sub < numSIDs || v >= numVINTFs else { return .fault(.absentInConfiguration) }
      case 0x80...0xBF:
        d = DecodedAccess(.sidReplace, index: v, sub: (r - 0x80) >> 2)
        guard d.sub < numSIDs || v >= numVINTFs else { return .fault(.absentInConfiguration) }
      case 0xC0...0xCF: d = DecodedAccess(.lvcmdqErrMap, index: v, sub: (r - 0xC0) >> 3, half: r & 4)
      default: return .fault(.unmapped)
      }
      guard v < numVINTFs else { return .fault(.absentInConfiguration) }
      return d
    }
    switch offset {
    case 0x000...0x003: return DecodedAccess(.cmdqvConfig)
    case 0x004...0x007: return DecodedAccess(.cmdqvParam)
    case 0x008...0x00B: return DecodedAccess(.cmdqvStatus)
    case 0x014...0x01B: return DecodedAccess(.viErrMap, half: (offset - 0x14) & 4)
    case 0x01C...0x023: return DecodedAccess(.viIntMask, half: (offset - 0x1C) & 4)
    case 0x024...0x033: return DecodedAccess(.cmdqErrMap, index: (offset - 0x24) >> 2)
    case 0x200...0x3FF:
      let q = (offset - 0x200) >> 2
      guard q < numVCMDQs else { return .fault(.absentInConfiguration) }
      return DecodedAccess(.cmdqAlloc, index: q)
    default: return .fault(.unmapped)
    }
  }

  /// A register inside one 0x80-byte VCMDQ block of page 0 or page 1.
  private func decodeQueueRegister(_ r: Int, page1: Bool) -> DecodedAccess {
    if page1 {
      switch r {
      case 0x00...0x07: return DecodedAccess(.base, half: r & 4)
      case 0x08...0x0F: return DecodedAccess(.consIndexBase, half: r & 4)
      default: return .fault(.unmapped)
      }
    }
    switch r >> 2 {
    case 0: return DecodedAccess(.cons)
    case 1: return DecodedAccess(.prod)
    case 2: return DecodedAccess(.vcmdqConfig)
    case 3: return DecodedAccess(.vcmdqStatus)
    case 4: return DecodedAccess(.gerror)
    case 5: return DecodedAccess(.gerrorn)
    default: return .fault(.unmapped)
    }
  }

  /// The absolute global offset (low word) of a decoded register, so logical
  /// and global aliases of one register compare equal.
  func canonicalOffset(_ d: DecodedAccess) -> Int {
    typealias O = CMDQVOffsets
    switch d.kind {
    case .cmdqvConfig: return O.config
    case .cmdqvParam: return O.param
    case .cmdqvStatus: return O.status
    case .viErrMap: return O.viErrMap
    case .viIntMask: return O.viIntMask
    case .cmdqErrMap: return O.cmdqErrMap + 4 * d.index
    case .cmdqAlloc: return O.cmdqAlloc + 4 * d.index
    case .vintfConfig, .vintfStatus, .sidMatch, .sidReplace, .lvcmdqErrMap:
      let b = O.vintfBase + O.vintfStride * d.index
      switch d.kind {
      case .vintfConfig: return b + O.vintfConfig
      case .vintfStatus: return b + O.vintfStatus
      case .sidMatch: return b + O.sidMatch + 4 * d.sub
      case .sidReplace: return b + O.sidReplace + 4 * d.sub
      default: return b + O.lvcmdqErrMap + 8 * d.sub
      }
    case .cons, .prod, .vcmdqConfig, .vcmdqStatus, .gerror, .gerrorn:
      let b = O.vcmdqPage0 + O.vcmdqStride * d.index
      switch d.kind {
      case .cons: return b + O.cons
      case .prod: return b + O.prod
      case .vcmdqConfig: return b + O.vcmdqConfig
      case .vcmdqStatus: return b + O.vcmdqStatus
      case .gerror: return b + O.gerror
      default: return b + O.gerrorn
      }
    case .base: return O.vcmdqPage1 + O.vcmdqStride * d.index + O.base
    case .consIndexBase: return O.vcmdqPage1 + O.vcmdqStride * d.index + O.consIndexBase
    case .smmuIDR1: return SMMUOffsets.idr1
    case .smmuCR0: return SMMUOffsets.cr0
    case .smmuCR0Ack: return SMMUOffsets.cr0ack
    case .smmuGError: return SMMUOffsets.gerror
    case .smmuGErrorN: return SMMUOffsets.gerrorn
    case .smmuCMDQBase: return SMMUOffsets.cmdqBase
    case .smmuCMDQProd: return SMMUOffsets.cmdqProd
    case .smmuCMDQCons: return SMMUOffsets.cmdqCons
    }
  }
}
