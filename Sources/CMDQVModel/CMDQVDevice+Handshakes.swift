import CMDQVRegisters

extension CMDQVDevice {
  /// Moves every pending CONFIG→STATUS handshake one cycle on.
  func advanceHandshakes() {
    var pending = false
    if cmdqvEnable.tick() { completeCMDQV() }
    pending = pending || cmdqvEnable.isPending
    for v in 0..<numVINTFs {
      if vintfEnable[v].tick() { completeVINTF(v) }
      pending = pending || vintfEnable[v].isPending
    }
    for q in 0..<numVCMDQs {
      if queues[q].enable.tick() { completeVCMDQ(q) }
      pending = pending || queues[q].enable.isPending
    }
    if smmuCR0Ack.tick() { completeSMMUCR0() }
    pending = pending || smmuCR0Ack.isPending
    handshakesPending = pending
  }

  func completeCMDQV() {
    let old = cmdqvEnable.current
    cmdqvEnable.current = cmdqvEnable.target
    runnableDirty = true
    stateChanged("CMDQV", "CMDQV_ENABLED", UInt64(old), UInt64(cmdqvEnable.current))
  }

  func completeVINTF(_ v: Int) {
    let old = vintfEnable[v].current
    vintfEnable[v].current = vintfEnable[v].target
    runnableDirty = true
    stateChanged("VINTF\(v)", "ENABLE_OK", UInt64(old), UInt64(vintfEnable[v].current))
  }

  /// CMDQ_EN_OK follows CMDQ_EN, except that enabling a queue whose BASE is
  /// zero or not aligned to the queue size fails with GERROR.CMDQ_INIT_ERR.
  func completeVCMDQ(_ q: Int) {
    let old = queues[q].enable.current
    if queues[q].enable.target & 1 != 0 && !baseValid(q) {
      raiseGError(q, QueueBits.gerrorCMDQInitErr, cause: "\(queueName(q)) enabled with invalid BASE 0x\(String(queues[q].base, radix: 16))")
      return
    }
    queues[q].enable.current = queues[q].enable.target
    runnableDirty = true
    stateChanged(queueName(q), "CMDQ_EN_OK", UInt64(old), UInt64(queues[q].enable.current))
  }

  func completeSMMUCR0() {
    let old = smmuCR0Ack.current
    smmuCR0Ack.current = smmuCR0Ack.target
    runnableDirty = true
    stateChanged("SMMU", "CR0ACK", UInt64(old), UInt64(smmuCR0Ack.current))
  }

  /// BASE has a non-zero address aligned to the queue size (16 B × 2^LOG2SIZE,
  /// LOG2SIZE clamped to 19). The 32-byte minimum comes from ADDR starting at bit 5.
  func baseValid(_ q: Int) -> Bool {
    let base = queues[q].base
    let addr = base & QueueBits.vcmdqAddrMask
    let bytes = UInt64(16) << UInt64(min(Int(base & QueueBits.log2SizeMask), QueueBits.maxLog2Size))
    return addr != 0 && addr & (bytes - 1) == 0
  }

  /// Log2 of the entry count of queue slot `q`.
  func log2Size(_ q: Int) -> Int {
    let field = Int(queues[q].base & QueueBits.log2SizeMask)
    return q == smmuQueue ? min(field, configuration.smmuCMDQS) : min(field, QueueBits.maxLog2Size)
  }

  /// Rebuilds the list of queues allowed to consume (errors are checked per command).
  func rebuildRunnable() {
    let before = observed ? runnableList : []
    var count = 0
    for q in 0...numVCMDQs {
      if mayRun(q) {
        runnableRank[q] = Int32(count)
        runnable[count] = Int32(q)
        count += 1
      } else {
        runnableRank[q] = -1
      }
      updateReady(q)
    }
    runnableCount = count
    runnableDirty = false
    if observed && before != runnableList {
      // A queue starting or stopping is a state change worth a trace line.
      let after = runnableList
      for q in before where !after.contains(q) { stateChanged(queueName(q), "running", 1, 0) }
      for q in after where !before.contains(q) { stateChanged(queueName(q), "running", 0, 1) }
    }
  }

  /// The runnable queue slots, ascending.
  var runnableList: [Int] { (0..<runnableCount).map { Int(runnable[$0]) } }

  /// Whether queue slot `q` may consume, ignoring errors: a VCMDQ needs CMDQV
  /// and its VINTF enabled, ALLOC, CMDQ_EN_OK and a valid BASE; the SMMU
  /// CMDQ needs CR0ACK.CMDQEN and a non-zero BASE address.
  func mayRun(_ q: Int) -> Bool {
    if q == smmuQueue {
      return smmuCR0Ack.current & SMMUOffsets.cr0CMDQEN != 0 && queues[q].base & QueueBits.smmuAddrMask != 0
    }
    let s = queues[q]
    let v = s.allocVINTF
    return cmdqvEnable.current & 1 != 0 && s.allocated && s.enable.current & 1 != 0 && v < numVINTFs
      && vintfEnable[v].current & 1 != 0 && baseValid(q)
  }
}
