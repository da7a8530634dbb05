import CMDQVRegisters

extension CMDQVDevice {
  /// A snapshot of VINTF `i` (precondition: `i` is in the configuration).
  public func vintf(_ i: Int) -> VINTFSnapshot {
    precondition((0..<numVINTFs).contains(i), "VINTF\(i) is outside this device's \(numVINTFs) VINTFs")
    var pairs: [VINTFSnapshot.SIDPair] = []
    for s in 0..<numSIDs where sidMatch[i * numSIDs + s] & 1 != 0 {
      pairs.append(
        .init(
          slot: s, virtualSID: sidMatch[i * numSIDs + s] >> 1 & 0xF_FFFF,
          physicalSID: sidReplace[i * numSIDs + s] & 0xF_FFFF))
    }
    var lvcmdqs: [Int: Int] = [:]
    var errored: [Int] = []
    for q in (0..<numVCMDQs).reversed() where queues[q].allocVINTF == i {
      lvcmdqs[queues[q].allocLVCMDQ] = q
      if queues[q].errorPending { errored.append(queues[q].allocLVCMDQ) }
    }
    let config = vintfConfig[i]
    return VINTFSnapshot(
      index: i, configEnabled: config & 1 != 0, enabled: vintfEnable[i].current & 1 != 0,
      hypervisorOwned: config & AllocBits.hypOwn != 0, vmid: UInt16(truncatingIfNeeded: config >> 1),
      sidPairs: pairs, lvcmdqs: lvcmdqs, erroredLVCMDQs: errored.sorted())
  }

  /// A snapshot of global VCMDQ `q`.
  public func vcmdq(_ q: Int) -> VCMDQSnapshot {
    precondition((0..<numVCMDQs).contains(q), "VCMDQ\(q) is outside this device's \(numVCMDQs) VCMDQs")
    return queueSnapshot(q)
  }

  /// A snapshot of the SMMU's main command queue.
  public var smmuCMDQ: VCMDQSnapshot { queueSnapshot(smmuQueue) }

  func queueSnapshot(_ q: Int) -> VCMDQSnapshot {
    let s = queues[q]
    let isSMMU = q == smmuQueue
    let log2 = log2Size(q)
    return VCMDQSnapshot(
      id: queueID(q), index: isSMMU ? nil : q, allocated: isSMMU || s.allocated,
      configEnabled: isSMMU ? smmuCR0 & SMMUOffsets.cr0CMDQEN != 0 : s.config & 1 != 0,
      enabled: isSMMU ? smmuCR0Ack.current & SMMUOffsets.cr0CMDQEN != 0 : s.enable.current & 1 != 0,
      running: mayRun(q), base: s.base, log2Size: log2, prod: s.prod, cons: s.cons,
      errorCode: UInt8(truncatingIfNeeded: s.cons >> QueueBits.consErrShift & 0x7F), gerror: s.gerror,
      gerrorn: s.gerrorn, pending: QueuePointers(log2Size: log2).count(prod: s.prod, cons: s.cons))
  }

  var smmuDescription: String {
    "SMMU CR0=0x\(String(smmuCR0, radix: 16)) CR0ACK=0x\(String(smmuCR0Ack.current, radix: 16)) \(smmuCMDQ)"
  }
}
