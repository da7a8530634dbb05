import CMDQVRegisters

extension CMDQVDevice {
  func applyRulePolicies() { hot.pointee.rulesActive = !rulePolicies.ignoresEverything }

  /// The rule book's checks for one MMIO write, before it is stored (`old` is
  /// the register, `new` what it will hold). One switch on the register kind;
  /// nothing is allocated unless a rule is broken.
  func checkWriteRules(
    _ d: DecodedAccess, old: UInt64, new: UInt64, offset: Int, width: Int, written: UInt64, initiator: Initiator,
    smmuAperture: Bool
  ) {
    let access = WriteContext(
      offset: offset, width: width, value: written, initiator: initiator, smmuAperture: smmuAperture)
    switch d.kind {
    case .cmdqvConfig: checkCMDQVConfig(new: UInt32(truncatingIfNeeded: new), access)
    case .vintfConfig:
      guard d.index < numVINTFs else { return }
      checkVINTFConfig(d.index, old: UInt32(truncatingIfNeeded: old), new: UInt32(truncatingIfNeeded: new), access)
    case .vcmdqConfig:
      checkVCMDQConfig(d.index, old: UInt32(truncatingIfNeeded: old), new: UInt32(truncatingIfNeeded: new), access)
    case .base, .consIndexBase:
      if vcmdqLive(d.index) {
        violate(
          .vcmdqPage1WhileEnabled, "\(queueName(d.index)) \(d.kind.name) written while the queue is enabled",
          [queueName(d.index) + "_CONFIG"], access)
      }
    case .cons:
      if vcmdqLive(d.index) {
        violate(
          .vcmdqConsWhileEnabled, "\(queueName(d.index)) CONS written by software while the queue is enabled",
          [queueName(d.index) + "_CONFIG"], access)
      }
    case .prod:
      if queues[d.index].config & 1 != 0 {
        checkProd(d.index, old: UInt32(truncatingIfNeeded: old), new: UInt32(truncatingIfNeeded: new), access)
      }
    case .gerrorn: checkAcknowledge(d.index, old: UInt32(truncatingIfNeeded: old), new: UInt32(truncatingIfNeeded: new), access)
    case .cmdqAlloc:
      checkAlloc(d.index, old: UInt32(truncatingIfNeeded: old), new: UInt32(truncatingIfNeeded: new), access)
    case .sidMatch:
      guard d.index < numVINTFs else { return }
      checkSIDMatch(vintf: d.index, slot: d.sub, old: UInt32(truncatingIfNeeded: old), new: UInt32(truncatingIfNeeded: new), access)
    case .sidReplace:
      guard d.index < numVINTFs, old != new, sidMatch[d.index * numSIDs + d.sub] & 1 != 0 else { return }
      violate(
        .sidReplaceWhileMatched,
        "VINTF\(d.index): SID_REPLACE\(d.sub) changed 0x\(hex(old)) → 0x\(hex(new)) while SID_MATCH\(d.sub) is enabled (vSID 0x\(hex(UInt64(sidMatch[d.index * numSIDs + d.sub] >> 1 & 0xF_FFFF))))",
        ["VINTF\(d.index)_SID_MATCH\(d.sub)"], access)
    case .smmuCR0: checkCR0(new: UInt32(truncatingIfNeeded: new), access)
    case .smmuCMDQBase:
      if smmuCMDQLive {
        violate(.smmuCMDQBaseWhileEnabled, "SMMU CMDQ_BASE written while the command queue is enabled", ["SMMU_CR0", "SMMU_CR0ACK"], access)
      }
    case .smmuCMDQCons:
      if smmuCMDQLive {
        violate(.smmuCMDQConsWhileEnabled, "SMMU CMDQ_CONS written by software while the command queue is enabled", ["SMMU_CR0", "SMMU_CR0ACK"], access)
      }
    case .smmuCMDQProd:
      if smmuCR0 & SMMUOffsets.cr0CMDQEN != 0 {
        checkProd(smmuQueue, old: UInt32(truncatingIfNeeded: old), new: UInt32(truncatingIfNeeded: new), access)
      }
    case .smmuGErrorN:
      checkAcknowledge(smmuQueue, old: UInt32(truncatingIfNeeded: old), new: UInt32(truncatingIfNeeded: new), access)
    case .cmdqvParam, .cmdqvStatus, .viErrMap, .viIntMask, .cmdqErrMap, .vintfStatus, .lvcmdqErrMap, .vcmdqStatus,
      .gerror, .smmuIDR1, .smmuCR0Ack, .smmuGError:
      break
    }
  }

  // MARK: State helpers

  /// The driver's poll budget in model cycles (ARM_SMMU_POLL_TIMEOUT_US).
  var pollBudgetCycles: UInt64 {
    let (product, overflow) = RuleBook.pollBudgetMicroseconds.multipliedReportingOverflow(by: cyclesPerMicrosecond)
    return overflow ? .max : product
  }

  /// A handshake requested at `since` that the driver may still legitimately be waiting for.
  func young(_ since: UInt64) -> Bool { cycle &- since < pollBudgetCycles }

  /// A VCMDQ software must treat as running: CMDQ_EN set, or a disable the
  /// driver has not seen complete within its poll budget.
  func vcmdqLive(_ q: Int) -> Bool {
    queues[q].config & 1 != 0 || (queues[q].enable.isPending && young(ruleState.vcmdqSince[q]))
  }

  var smmuCMDQLive: Bool {
    let en = SMMUOffsets.cr0CMDQEN
    return smmuCR0 & en != 0
      || (smmuCR0Ack.isPending && smmuCR0Ack.current & en != 0 && young(ruleState.smmuCR0Since))
  }

  /// Whether a write of `value` starts a new transition of `h` (see ``Handshake/request(_:latency:)``).
  func startsTransition(_ h: Handshake, _ value: UInt32) -> Bool {
    !(h.isPending && h.target == value) && h.current != value
  }

  func hex(_ v: UInt64) -> String { String(v, radix: 16) }
  func hex(_ v: UInt32) -> String { String(v, radix: 16) }

  // MARK: Handshakes

  func checkCMDQVConfig(new: UInt32, _ a: WriteContext) {
    let en = new & 1
    if cmdqvEnable.isPending && cmdqvEnable.target != en && young(ruleState.cmdqvSince) {
      violate(
        .cmdqvRetoggle,
        "CMDQV_EN set to \(en) while the change to \(cmdqvEnable.target) requested at cycle \(ruleState.cmdqvSince) is not yet in CMDQV_STATUS",
        ["CMDQV_STATUS"], a)
    }
    if startsTransition(cmdqvEnable, en) { ruleState.cmdqvSince = cycle }
  }

  func checkVINTFConfig(_ v: Int, old: UInt32, new: UInt32, _ a: WriteContext) {
    let en = new & 1
    let h = vintfEnable[v]
    if h.isPending && h.target != en && young(ruleState.vintfSince[v]) {
      violate(
        .vintfRetoggle,
        "VINTF\(v): EN set to \(en) while the change to \(h.target) requested at cycle \(ruleState.vintfSince[v]) is not yet in VINTF_STATUS",
        ["VINTF\(v)_STATUS"], a)
    }
    if old & 1 == 0 && en == 1 && cmdqvEnable.current & 1 == 0 {
      violate(.vintfEnableCMDQVOff, "VINTF\(v) enabled while CMDQV_STATUS.CMDQV_ENABLED is 0", ["CMDQV_STATUS"], a)
    }
    if old & 1 == 1 && en == 0 {
      let mapped = (0..<numVCMDQs).filter { queues[$0].allocated && queues[$0].allocVINTF == v }
      if let q = mapped.first {
        violate(
          .vintfDisableMapped,
          "VINTF\(v) disabled while LVCMDQ\(queues[q].allocLVCMDQ) (VCMDQ\(q)) is still mapped",
          mapped.map { "CMDQV_CMDQ_ALLOC\($0)" }, a)
      }
    }
    let owned: UInt32 = 0x3_FFFE  // VMID [16:1] and HYP_OWN [17]
    if old & 1 == 1 && en == 1 && (old ^ new) & owned != 0 {
      violate(
        .vintfReconfigEnabled,
        "VINTF\(v): CONFIG 0x\(hex(old)) → 0x\(hex(new)) changes VMID/HYP_OWN while the VINTF stays enabled",
        ["VINTF\(v)_CONFIG"], a)
    }
    if startsTransition(h, en) { ruleState.vintfSince[v] = cycle }
  }

  func checkVCMDQConfig(_ q: Int, old: UInt32, new: UInt32, _ a: WriteContext) {
    let en = new & 1
    let h = queues[q].enable
    var name: String { queueName(q) }
    if h.isPending && h.target != en && young(ruleState.vcmdqSince[q]) {
      violate(
        .vcmdqRetoggle,
        "\(name): CMDQ_EN set to \(en) while the change to \(h.target) requested at cycle \(ruleState.vcmdqSince[q]) is not yet in STATUS",
        [name + "_STATUS"], a)
    }
    if old & 1 == 0 && en == 1 {
      let s = queues[q]
      if !s.allocated {
        violate(.vcmdqEnableUnmapped, "\(name) enabled while CMDQ_ALLOC\(q).ALLOC is 0", ["CMDQV_CMDQ_ALLOC\(q)"], a)
      }
      let v = s.allocVINTF
      if v >= numVINTFs || vintfEnable[v].current & 1 == 0 {
        violate(
          .vcmdqEnableVINTFOff, "\(name) enabled while its VINTF\(v) does not report ENABLE_OK", ["VINTF\(v)_STATUS"], a)
      }
      if !baseValid(q) {
        violate(
          .vcmdqEnableInvalidBase,
          "\(name) enabled with BASE 0x\(hex(s.base)) (address zero or not aligned to the queue size)", [name + "_BASE"], a)
      }
      if s.errorPending {
        violate(
          .errorEnablePending,
          "\(name) enabled while GERROR 0x\(hex(s.gerror)) ≠ GERRORN 0x\(hex(s.gerrorn)) (error pending since cycle \(ruleState.errorSince[q]))",
          [name + "_GERROR", name + "_GERRORN"], a)
      }
      ruleState.executedAtEnable[q] = s.executedCount
      ruleState.disabledSinceEnable[q] = false
    } else if old & 1 == 1 && en == 0 {
      ruleState.disabledSinceEnable[q] = true
      ruleState.syncsAtDisable[q] = ruleState.smmuSyncs
    }
    if startsTransition(h, en) { ruleState.vcmdqSince[q] = cycle }
  }

  func checkCR0(new: UInt32, _ a: WriteContext) {
    let h = smmuCR0Ack
    if h.isPending && h.target != new && young(ruleState.smmuCR0Since) {
      violate(
        .smmuCR0Retoggle,
        "CR0 set to 0x\(hex(new)) while CR0=0x\(hex(h.target)) written at cycle \(ruleState.smmuCR0Since) is not yet in CR0ACK",
        ["SMMU_CR0ACK"], a)
    }
    if startsTransition(h, new) { ruleState.smmuCR0Since = cycle }
  }

  // MARK: Errors

  func checkAcknowledge(_ q: Int, old: UInt32, new: UInt32, _ a: WriteContext) {
    let g = queues[q].gerror
    let before = g ^ old
    let after = g ^ new
    var name: String { q == smmuQueue ? "SMMU" : queueName(q) }
    if after & ~before != 0 {
      violate(
        .errorAckNotPending,
        "\(name): GERRORN 0x\(hex(old)) → 0x\(hex(new)) toggles bit(s) 0x\(hex(after & ~before)) with no error pending (GERROR 0x\(hex(g)))",
        [name + "_GERROR"], a)
    }
    guard q != smmuQueue, before & ~after != 0, a.initiator == .host, queues[q].config & 1 != 0 else { return }
    // VINTF0 is always the kernel's own (a guest kernel's VINTF0 reads HYP_OWN = 0
    // and acknowledges its queues in tegra241_vintf0_handle_error).
    let v = queues[q].allocVINTF
    if v > 0 && v < numVINTFs && vintfConfig[v] & AllocBits.hypOwn == 0 {
      violate(
        .errorHostAckGuestQueue,
        "host acknowledged \(name)'s error while the guest-owned queue (VINTF\(v), HYP_OWN=0) is still enabled",
        ["VINTF\(v)_CONFIG", name + "_CONFIG"], a)
    }
  }

  // MARK: Allocation

  func checkAlloc(_ q: Int, old: UInt32, new: UInt32, _ a: WriteContext) {
    let wasMapped = old & AllocBits.alloc != 0
    let isMapped = new & AllocBits.alloc != 0
    let assignment: UInt32 = AllocBits.vintfMask << AllocBits.vintfShift | AllocBits.lvcmdqMask << AllocBits.lvcmdqShift
    if wasMapped && (old ^ new) & assignment != 0 {
      violate(
        .allocReassignMapped,
        "CMDQ_ALLOC\(q) 0x\(hex(old)) → 0x\(hex(new)) changes the (VINTF, LVCMDQ) assignment of a mapped VCMDQ",
        ["CMDQV_CMDQ_ALLOC\(q)"], a)
    }
    if !wasMapped && isMapped {
      let v = Int(new >> AllocBits.vintfShift & AllocBits.vintfMask)
      let l = Int(new >> AllocBits.lvcmdqShift & AllocBits.lvcmdqMask)
      if l > 0, slotMapped(vintf: v, lvcmdq: l - 1, excluding: q) == nil {
        violate(
          .lvcmdqMapAscending,
          "VINTF\(v): mapped LVCMDQ\(l) while LVCMDQ\(l - 1) is unmapped (HW requires ascending map order)",
          ["CMDQV_CMDQ_ALLOC\(q)"], a)
      }
      if v >= numVINTFs || vintfEnable[v].current & 1 == 0 {
        violate(
          .lvcmdqMapVINTFDisabled, "VINTF\(v): mapped LVCMDQ\(l) (VCMDQ\(q)) while VINTF\(v) does not report ENABLE_OK",
          ["VINTF\(v)_STATUS"], a)
      }
    } else if wasMapped && !isMapped {
      checkUnmap(q, old: old, a)
    }
  }

  func checkUnmap(_ q: Int, old: UInt32, _ a: WriteContext) {
    let v = Int(old >> AllocBits.vintfShift & AllocBits.vintfMask)
    let l = Int(old >> AllocBits.lvcmdqShift & AllocBits.lvcmdqMask)
    var name: String { queueName(q) }
    if let above = slotMapped(vintf: v, lvcmdq: l + 1, excluding: q) {
      violate(
        .lvcmdqUnmapDescending,
        "VINTF\(v): unmapped LVCMDQ\(l) while LVCMDQ\(l + 1) is still mapped (HW requires descending unmap order)",
        ["CMDQV_CMDQ_ALLOC\(q)", "CMDQV_CMDQ_ALLOC\(above)"], a)
    }
    let s = queues[q]
    defer {
      // This VCMDQ's history ends here: a later map starts afresh.
      ruleState.executedAtEnable[q] = s.executedCount
      ruleState.disabledSinceEnable[q] = false
    }
    if vcmdqLive(q) {
      // The root cause; the reset, acknowledgement and flush the deinit
      // would have done are not reported on top of it.
      violate(.vcmdqUnmapEnabled, "\(name) unmapped while it is still enabled", [name + "_CONFIG", name + "_STATUS"], a)
      return
    }
    if ruleState.disabledSinceEnable[q] && s.executedCount > ruleState.executedAtEnable[q]
      && ruleState.smmuSyncs == ruleState.syncsAtDisable[q]
    {
      violate(
        .flushBeforeUnmap,
        "\(name) unmapped after executing \(s.executedCount - ruleState.executedAtEnable[q]) command(s) with no CMD_SYNC on the SMMU CMDQ since it was disabled",
        ["SMMU_CMDQ_PROD", "SMMU_CMDQ_CONS"], a)
    }
    let index: UInt32 = 0xF_FFFF
    if s.prod & index != 0 || s.cons & index != 0 || s.base != 0 || s.consIndexBase != 0 {
      violate(
        .vcmdqUnmapNotReset,
        "\(name) unmapped with PROD 0x\(hex(s.prod)), CONS 0x\(hex(s.cons)), BASE 0x\(hex(s.base)), CONS_INDX_BASE 0x\(hex(s.consIndexBase)) (must be zero)",
        [name + "_PROD", name + "_CONS", name + "_BASE", name + "_CONS_INDX_BASE"], a)
    }
    if s.errorPending {
      violate(
        .errorUnmapPending,
        "\(name) unmapped with an unacknowledged error (GERROR 0x\(hex(s.gerror)), GERRORN 0x\(hex(s.gerrorn)))",
        [name + "_GERROR", name + "_GERRORN"], a)
    }
  }

  /// The VCMDQ (other than `excluding`) mapped to (VINTF, LVCMDQ), if any.
  func slotMapped(vintf v: Int, lvcmdq l: Int, excluding: Int) -> Int? {
    for q in 0..<numVCMDQs where q != excluding {
      let s = queues[q]
      if s.allocated && s.allocVINTF == v && s.allocLVCMDQ == l { return q }
    }
    return nil
  }

  // MARK: StreamIDs

  func checkSIDMatch(vintf v: Int, slot s: Int, old: UInt32, new: UInt32, _ a: WriteContext) {
    guard new & 1 != 0 else { return }
    let key: UInt32 = 0x1F_FFFF
    if old & 1 != 0 && (old ^ new) & key != 0 {
      violate(
        .sidMatchRetargetLive,
        "VINTF\(v): SID_MATCH\(s) retargeted from vSID 0x\(hex(old >> 1 & 0xF_FFFF)) to 0x\(hex(new >> 1 & 0xF_FFFF)) without being disabled",
        ["VINTF\(v)_SID_REPLACE\(s)"], a)
    }
    guard old & key != new & key else { return }
    let first = v * numSIDs
    for t in 0..<numSIDs where t != s && sidMatch[first + t] & key == new & key {
      violate(
        .sidMatchDuplicate,
        "VINTF\(v): SID_MATCH\(s) enables vSID 0x\(hex(new >> 1 & 0xF_FFFF)), already matched by SID_MATCH\(t)",
        ["VINTF\(v)_SID_MATCH\(t)"], a)
      return
    }
  }

  // MARK: Queue memory

  /// PROD of an enabled queue: never more than a ring ahead of CONS, never backwards.
  func checkProd(_ q: Int, old: UInt32, new: UInt32, _ a: WriteContext) {
    let entries = UInt32(1) << UInt32(log2Size(q))
    let wrap = (entries << 1) &- 1
    let cons = queues[q].cons & wrap
    let ahead = (new & wrap &- cons) & wrap
    let before = (old & wrap &- cons) & wrap
    guard ahead > entries || (before <= entries && ahead < before) else { return }  // the common case: no strings built
    let name = q == smmuQueue ? "SMMU_CMDQ" : queueName(q)
    if ahead > entries {
      violate(
        .queueProdOverrun,
        "\(name): PROD 0x\(hex(new)) is \(ahead) entries ahead of CONS 0x\(hex(cons)) in a ring of \(entries)",
        [name + "_CONS"], a)
    } else if before <= entries && ahead < before {
      violate(
        .queueProdRetreat,
        "\(name): PROD moved back from 0x\(hex(old)) to 0x\(hex(new)) (CONS 0x\(hex(cons))), withdrawing \(before - ahead) published entries",
        [name + "_CONS"], a)
    }
  }

  /// Called by ``PhysicalMemoryModel`` before every software write: a write
  /// into entries in [CONS, PROD) of an enabled queue breaks QMEM-WRITE-OWNED
  /// (the entry at CONS is exempt while CMDQ_ERR stalls the queue: that is how
  /// `__arm_smmu_cmdq_skip_err` replaces a bad command).
  func checkMemoryWrite(_ address: UInt64, _ length: Int) {
    guard hot.pointee.rulesActive, length > 0 else { return }
    let end = address &+ UInt64(length)
    for q in 0...numVCMDQs {
      let s = queues + q
      let isSMMU = q == smmuQueue
      let enabled = isSMMU ? smmuCR0 & SMMUOffsets.cr0CMDQEN != 0 : s.pointee.config & 1 != 0
      guard enabled else { continue }
      let log2 = log2Size(q)
      let entries = UInt64(1) << UInt64(log2)
      let base = s.pointee.base & (isSMMU ? QueueBits.smmuAddrMask : QueueBits.vcmdqAddrMask)
      let ringEnd = base &+ entries << 4
      guard end > base && address < ringEnd else { continue }
      let wrap = UInt32(entries << 1) &- 1
      let cons = s.pointee.cons & wrap
      var used = UInt64((s.pointee.prod & wrap &- cons) & wrap)
      guard used > 0 && used <= entries else { continue }
      var owner = UInt64(cons) & (entries - 1)
      if s.pointee.cmdqErrorPending {
        owner = (owner + 1) & (entries - 1)
        used -= 1
        guard used > 0 else { continue }
      }
      let first = (max(address, base) - base) >> 4
      let last = (min(end, ringEnd) - 1 - base) >> 4
      let span = last - first
      let hit =
        span + 1 >= entries || (first &- owner) & (entries - 1) < used || (owner &- first) & (entries - 1) <= span
      guard hit else { continue }
      let name = isSMMU ? "SMMU_CMDQ" : queueName(q)
      report(
        .queueWriteOwned,
        "\(name): software wrote queue entries \(first)...\(last) while entries \(cons & UInt32(entries - 1)) onwards (\(UInt64((s.pointee.prod & wrap &- cons) & wrap)) published, PROD 0x\(hex(s.pointee.prod)), CONS 0x\(hex(s.pointee.cons))) belong to the hardware",
        access: .memoryWrite(address: address, length: length), initiator: nil,
        registers: [name + "_PROD", name + "_CONS"], immediately: true)
    }
  }

  // MARK: Reporting

  func violate(_ id: RuleID, _ detail: @autoclosure () -> String, _ registers: [String], _ a: WriteContext) {
    let register = registerInstance(at: a.offset, smmuAperture: a.smmuAperture)?.name
    report(
      id, detail(),
      access: .mmioWrite(map: mapName(a.smmuAperture), offset: a.offset, width: a.width, value: a.value, register: register),
      initiator: a.initiator, registers: (register.map { [$0] } ?? []) + registers, immediately: false)
  }

  /// Applies `id`'s policy: ignore, trap at once, or record (MMIO violations
  /// are reported after the access's own MMIO event).
  func report(
    _ id: RuleID, _ detail: @autoclosure () -> String, access: RuleViolation.Access, initiator: Initiator?,
    registers: [String], immediately: Bool
  ) {
    let policy = rulePolicies[id]
    guard policy != .ignore else { return }
    let v = RuleViolation(
      rule: id, detail: detail(), source: RuleBook.rule(id).source, access: access, initiator: initiator, cycle: cycle,
      registers: registers)
    if policy == .trap { preconditionFailure("rule violation: \(v)") }
    pendingViolations.append(v)
    hot.pointee.violationsPending = true
    if immediately { reportPendingViolations() }
  }

  func reportPendingViolations() {
    let pending = pendingViolations
    pendingViolations.removeAll(keepingCapacity: true)
    hot.pointee.violationsPending = false
    for var v in pending {
      if observed { v.sequence = sequence + 1 }
      violations.append(v)
      logFault(.violation(v))
      emit(.ruleViolation(v))
    }
  }

  /// Counts a CMD_SYNC the SMMU main CMDQ executed (for FLUSH-BEFORE-UNMAP).
  func countedSMMUSync() { ruleState.smmuSyncs &+= 1 }
}
