import CMDQVRegisters

extension CMDQVDevice {
  /// Why the device is not doing what a waiting driver expects, one line per
  /// cause, naming the cycle it started: handshakes that have not completed,
  /// queues holding commands they cannot consume, and the latest rule
  /// violation. Empty when nothing is stuck.
  ///
  /// `"VCMDQ2 stalled since cycle 812: CMDQ_ERR pending (CONS.ERR=1 at index 5), GERRORN not written"`
  public func diagnoseStalls() -> [String] {
    var lines: [String] = []
    func handshake(_ name: String, _ field: String, _ h: Handshake, since: UInt64) {
      guard h.isPending else { return }
      let what = h.target & 1 != 0 ? "enable" : "disable"
      lines.append(
        "\(name) \(what) pending since cycle \(since): \(field) still reads \(h.current)"
          + (h.stuck ? " (handshake stuck by an injected fault)" : ""))
    }
    handshake("CMDQV", "CMDQV_STATUS.CMDQV_ENABLED", cmdqvEnable, since: ruleState.cmdqvSince)
    for v in 0..<numVINTFs {
      handshake("VINTF\(v)", "VINTF\(v)_STATUS.ENABLE_OK", vintfEnable[v], since: ruleState.vintfSince[v])
    }
    for q in 0..<numVCMDQs {
      let s = queues[q]
      handshake(queueName(q), "\(queueName(q))_STATUS.CMDQ_EN_OK", s.enable, since: ruleState.vcmdqSince[q])
      if s.config & 1 != 0 && s.enable.current & 1 == 0 && !s.enable.isPending {
        lines.append(
          "\(queueName(q)) enable requested at cycle \(ruleState.vcmdqSince[q]) failed: CMDQ_EN_OK stays 0"
            + (baseValid(q) ? "" : " (BASE 0x\(hex(s.base)) is invalid: CMDQ_INIT_ERR)"))
      }
    }
    if smmuCR0Ack.isPending {
      lines.append(
        "SMMU CR0=0x\(hex(smmuCR0Ack.target)) pending since cycle \(ruleState.smmuCR0Since): CR0ACK still reads 0x\(hex(smmuCR0Ack.current))"
          + (smmuCR0Ack.stuck ? " (handshake stuck by an injected fault)" : ""))
    }
    for q in 0...numVCMDQs { if let line = queueStall(q) { lines.append(line) } }
    if let last = violations.last {
      lines.append("last rule violation: \(last.rule.rawValue) at cycle \(last.cycle): \(last.detail)")
    }
    return lines
  }

  /// Why queue slot `q` holds commands it does not consume, if it does.
  func queueStall(_ q: Int) -> String? {
    let s = queues[q]
    let name = q == smmuQueue ? "SMMU_CMDQ" : queueName(q)
    let pointers = QueuePointers(log2Size: log2Size(q))
    let waiting = !pointers.isEmpty(prod: s.prod, cons: s.cons)
    if s.cmdqErrorPending {
      let code = s.cons >> QueueBits.consErrShift & 0x7F
      return
        "\(name) stalled since cycle \(ruleState.errorSince[q]): CMDQ_ERR pending (CONS.ERR=\(code) at index \(s.cons & pointers.indexMask)), GERRORN not written"
    }
    if s.errorPending {
      let pending = (s.gerror ^ s.gerrorn) & QueueBits.gerrorPendingMask
      let cause =
        pending & QueueBits.gerrorCMDQInitErr != 0
        ? "CMDQ_INIT_ERR (enabled with BASE 0x\(hex(s.base)))" : "GERROR bits 0x\(hex(pending))"
      return "\(name) error pending since cycle \(ruleState.errorSince[q]): \(cause), GERRORN not written"
    }
    guard waiting else { return nil }
    var reasons: [String] = []
    if q == smmuQueue {
      if smmuCR0Ack.current & SMMUOffsets.cr0CMDQEN == 0 { reasons.append("CR0ACK.CMDQEN is 0") }
      if s.base & QueueBits.smmuAddrMask == 0 { reasons.append("CMDQ_BASE is 0") }
    } else {
      if cmdqvEnable.current & 1 == 0 { reasons.append("CMDQV is disabled") }
      if !s.allocated { reasons.append("CMDQ_ALLOC\(q).ALLOC is 0") }
      let v = s.allocVINTF
      if v < numVINTFs && vintfEnable[v].current & 1 == 0 { reasons.append("VINTF\(v) is disabled") }
      if s.enable.current & 1 == 0 { reasons.append("CMDQ_EN_OK is 0") }
      if !baseValid(q) { reasons.append("BASE 0x\(hex(s.base)) is invalid") }
    }
    guard !reasons.isEmpty else { return nil }
    return "\(name) holds unconsumed commands (PROD 0x\(hex(s.prod)), CONS 0x\(hex(s.cons))) but cannot run: "
      + reasons.joined(separator: ", ")
  }

  /// No handshake will complete and no queue can consume: stepping changes
  /// nothing until software writes a register or memory (a stuck or absent
  /// handshake, a stalled or empty queue).
  public var hardwareIsQuiescent: Bool {
    if cmdqvEnable.isPending && !cmdqvEnable.stuck { return false }
    if smmuCR0Ack.isPending && !smmuCR0Ack.stuck { return false }
    for v in 0..<numVINTFs where vintfEnable[v].isPending && !vintfEnable[v].stuck { return false }
    for q in 0...numVCMDQs {
      if q < numVCMDQs && queues[q].enable.isPending && !queues[q].enable.stuck { return false }
      let s = queues[q]
      guard mayRun(q), !s.cmdqErrorPending else { continue }
      if !QueuePointers(log2Size: log2Size(q)).isEmpty(prod: s.prod, cons: s.cons) { return false }
    }
    return true
  }

  /// Lets `cycles` cycles pass over a quiescent device in O(1): one real
  /// step (which settles anything a register write left pending), then the
  /// cycle counter jumps. Identical to stepping, because nothing can change.
  /// Falls back to stepping when the device is not quiescent.
  public func passQuiescentTime(cycles: Int) {
    guard cycles > 1, hardwareIsQuiescent else {
      step(cycles: cycles)
      return
    }
    step()
    hot.pointee.cycle &+= UInt64(cycles - 1)
  }

  /// ``diagnoseStalls()`` as one line, `nil` when nothing is stuck.
  public var stallDiagnosis: String? {
    let lines = diagnoseStalls()
    return lines.isEmpty ? nil : lines.joined(separator: "; ")
  }
}
