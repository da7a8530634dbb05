import CMDQVRegisters

extension CMDQVDevice {
  /// CONS.ERR := code, CONS stays on the faulting entry, GERROR.CMDQ_ERR
  /// toggles if not already pending (QEMU hw/arm/smmuv3.c: smmuv3_cmdq_consume,
  /// smmuv3_trigger_irq).
  func raiseCommandError(_ q: Int, code: UInt8, command: SMMUCommand?, reason: String, consIndex: UInt32) {
    queues[q].cons = queues[q].cons & ~QueueBits.consErrMask | UInt32(code & 0x7F) << QueueBits.consErrShift
    let error = CommandError(source: queueID(q), consIndex: consIndex, code: code, command: command, reason: reason)
    logCommandError(error)
    if observed { emit(.commandError(error)) }
    raiseGError(q, QueueBits.gerrorCMDQErr, cause: "\(queueID(q)) CERROR_\(error.codeName)")
  }

  /// Toggles GERROR bit `bit` of queue slot `q` unless already pending, and
  /// pulses the error interrupt: edge-triggered, one pulse per new error even
  /// when the VINTF's map bit is already set (comment in `tegra241_cmdqv_isr`,
  /// tegra241-cmdqv.c, v7.x).
  func raiseGError(_ q: Int, _ bit: UInt32, cause: String) {
    guard (queues[q].gerror ^ queues[q].gerrorn) & bit == 0 else { return }
    let old = queues[q].gerror
    if !queues[q].errorPending { ruleState.errorSince[q] = cycle }
    let derived = observed && q != smmuQueue ? derivedRegisters() : []
    queues[q].gerror ^= bit
    updateReady(q)
    stateChanged(q == smmuQueue ? "SMMU" : queueName(q), "GERROR", UInt64(old), UInt64(queues[q].gerror))
    if !derived.isEmpty { reportDerivedChanges(from: derived) }
    if q == smmuQueue {
      smmuInterruptCount += 1
      if observed { emit(.interrupt(InterruptEvent(line: "SMMU_GERROR", count: smmuInterruptCount, cause: cause))) }
      return
    }
    let v = queues[q].allocVINTF
    if v < numVINTFs && viIntMask >> UInt64(v) & 1 != 0 { return }  // masked by VI_INT_MASK
    interruptCount += 1
    if observed { emit(.interrupt(InterruptEvent(line: "CMDQV_ERR", count: interruptCount, cause: cause))) }
  }

  // Error maps are derived from pending GERROR state, so they clear when acked.

  /// VI_ERR_MAP: bit v when a VCMDQ assigned to VINTF v has an error pending.
  func viErrMap() -> UInt64 {
    var map: UInt64 = 0
    for q in 0..<numVCMDQs where queues[q].errorPending {
      let v = queues[q].allocVINTF
      if v < numVINTFs { map |= 1 << UInt64(v) }
    }
    return map
  }

  /// CMDQ_ERR_MAP(m): bit b when global VCMDQ 32m+b has an error pending.
  func cmdqErrMap(_ m: Int) -> UInt32 {
    var map: UInt32 = 0
    for b in 0..<32 {
      let q = 32 * m + b
      guard q < numVCMDQs else { break }
      if queues[q].errorPending { map |= 1 << UInt32(b) }
    }
    return map
  }

  /// LVCMDQ_ERR_MAP(m) of VINTF v: bit b when LVCMDQ 64m+b (by assignment) has an error pending.
  func lvcmdqErrMap(vintf v: Int, word m: Int) -> UInt64 {
    var map: UInt64 = 0
    for q in 0..<numVCMDQs where queues[q].errorPending && queues[q].allocVINTF == v {
      let l = queues[q].allocLVCMDQ - 64 * m
      if (0..<64).contains(l) { map |= 1 << UInt64(l) }
    }
    return map
  }

  /// VINTF STATUS: ENABLE_OK, STATUS[3:1] = 1 while any of its LVCMDQs has an
  /// error pending, VI_NUM_LVCMDQ[23:16] = LVCMDQs currently allocated to it.
  func vintfStatus(_ v: Int) -> UInt32 {
    var error = false
    var allocated: UInt32 = 0
    for q in 0..<numVCMDQs where queues[q].allocVINTF == v {
      if queues[q].errorPending { error = true }
      if queues[q].allocated { allocated += 1 }
    }
    return vintfEnable[v].current & 1 | (error ? 1 << 1 : 0) | (allocated & 0xFF) << 16
  }

  /// The queue as error reports and events name it.
  func queueID(_ q: Int) -> CommandQueueID {
    q == smmuQueue ? .smmuCMDQ : .vcmdq(index: q, vintf: queues[q].allocVINTF, lvcmdq: queues[q].allocLVCMDQ)
  }

  func queueName(_ q: Int) -> String { queueNames[q] }
}
