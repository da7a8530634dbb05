import CMDQVRegisters

extension CMDQVDevice: MMIOBus {
  public func read32(at offset: Int, from initiator: Initiator) -> UInt32 {
    UInt32(truncatingIfNeeded: performRead(offset, width: 32, initiator: initiator, smmuAperture: false))
  }

  public func write32(_ value: UInt32, at offset: Int, from initiator: Initiator) {
    performWrite(UInt64(value), offset, width: 32, initiator: initiator, smmuAperture: false)
  }

  public func read64(at offset: Int, from initiator: Initiator) -> UInt64 {
    performRead(offset, width: 64, initiator: initiator, smmuAperture: false)
  }

  public func write64(_ value: UInt64, at offset: Int, from initiator: Initiator) {
    performWrite(value, offset, width: 64, initiator: initiator, smmuAperture: false)
  }

  /// A read of any width in bits (8, 16, 32, 64). Only 32 and 64 are
  /// accepted; others read 0 and record an `.unsupportedWidth` fault. Any
  /// other width is a harness bug (no bus carries it): a precondition.
  public func read(at offset: Int, width: Int, from initiator: Initiator = .host) -> UInt64 {
    Self.requireBusWidth(width, "CMDQVDevice.read")
    return performRead(offset, width: width, initiator: initiator, smmuAperture: false)
  }

  /// A write of any width in bits (8, 16, 32, 64); see ``read(at:width:from:)``.
  public func write(_ value: UInt64, at offset: Int, width: Int, from initiator: Initiator = .host) {
    Self.requireBusWidth(width, "CMDQVDevice.write")
    performWrite(Self.busValue(value, width: width), offset, width: width, initiator: initiator, smmuAperture: false)
  }
}

extension CMDQVDevice {
  /// A bus carries 8, 16, 32 or 64 bits; any other width is a harness bug.
  static func requireBusWidth(_ width: Int, _ api: String) {
    precondition([8, 16, 32, 64].contains(width), "\(api): width \(width) is not 8, 16, 32 or 64 bits")
  }

  /// Only `width` bits of `value` travel on the bus: the rest is dropped (so
  /// a trace never holds a value wider than its access).
  static func busValue(_ value: UInt64, width: Int) -> UInt64 {
    width == 64 ? value : value & ((1 << UInt64(width)) - 1)
  }

  /// Width, alignment and decode checks shared by both apertures.
  func check(_ offset: Int, width: Int, smmuAperture: Bool) -> DecodedAccess {
    guard width == 32 || width == 64 else { return .fault(.unsupportedWidth) }
    guard offset & (width / 8 - 1) == 0 else { return .fault(.misaligned) }
    let d = smmuAperture ? decodeSMMU(offset) : decode(offset)
    if !d.isFault, width == 64, !d.kind.allows64 || d.half != 0 { return .fault(.unsupportedWidth) }
    return d
  }

  // The accepted, unobserved access is the hot path (a driver polling or
  // ringing a doorbell): it decodes, reads or merges, stores, and returns.
  // Everything rare — guest-window and access faults, rule checks that need
  // more than a compare, events — is in separate functions kept out of line,
  // so the hot path stays a small frame with no payload copies.

  func performRead(_ offset: Int, width: Int, initiator: Initiator, smmuAperture: Bool) -> UInt64 {
    hot.pointee.mmioAccesses += 1
    if case .guest = initiator, let reason = guestConfinementFault(offset, width: width, initiator, smmuAperture: smmuAperture) {
      recordAccessFault(reason, .read, offset, width, 0, initiator, smmuAperture)
      return 0
    }
    let d =
      width == 32 && offset & 3 == 0
      ? (smmuAperture ? decodeSMMU(offset) : decode(offset)) : check(offset, width: width, smmuAperture: smmuAperture)
    if d.isFault {
      recordAccessFault(d.fault!, .read, offset, width, 0, initiator, smmuAperture)
      return 0
    }
    var full = registerValue(d)
    if hot.pointee.hasStuckBits { full = applyStuckBits(d, full, smmuAperture) }
    let value =
      width == 64 ? full : (d.half == 4 ? full >> 32 : full & 0xFFFF_FFFF)
    if hot.pointee.observed { emitRead(d, offset, width, value, initiator, smmuAperture) }
    return value
  }

  @inline(never)
  func emitRead(_ d: DecodedAccess, _ offset: Int, _ width: Int, _ value: UInt64, _ initiator: Initiator, _ smmuAperture: Bool) {
    let read = AcceptedRead(decoded: d, offset: offset, width: width, value: value, initiator: initiator, smmu: smmuAperture)
    emit(.mmio(readAccess(read)))
    // Kept as its inputs (no strings to retain); rebuilt only to replay.
    lastRead = (sequence, read)
  }

  /// The event record of an accepted read.
  func readAccess(_ r: AcceptedRead) -> MMIOAccess {
    MMIOAccess(
      direction: .read, initiator: r.initiator, map: mapName(r.smmu), offset: r.offset, width: r.width,
      value: r.value, register: registerInstance(at: r.offset, smmuAperture: r.smmu),
      resolvedVCMDQ: r.decoded.logical ? r.decoded.index : nil)
  }

  func performWrite(_ value: UInt64, _ offset: Int, width: Int, initiator: Initiator, smmuAperture: Bool) {
    hot.pointee.mmioAccesses += 1
    if case .guest = initiator, let reason = guestConfinementFault(offset, width: width, initiator, smmuAperture: smmuAperture) {
      recordAccessFault(reason, .write, offset, width, value, initiator, smmuAperture)
      return
    }
    // An aligned 32-bit access needs no width checks: decode directly.
    let d =
      width == 32 && offset & 3 == 0
      ? (smmuAperture ? decodeSMMU(offset) : decode(offset)) : check(offset, width: width, smmuAperture: smmuAperture)
    if d.isFault {
      recordAccessFault(d.fault!, .write, offset, width, value, initiator, smmuAperture)
      return
    }
    let kind = Int(d.kind.rawValue)
    let old = registerValue(d)
    let merged: UInt64
    if width == 64 || d.kind.width == 32 {
      merged = value
    } else if d.half == 0 {
      merged = old & 0xFFFF_FFFF_0000_0000 | value & 0xFFFF_FFFF
    } else {
      merged = old & 0xFFFF_FFFF | value << 32
    }
    // Read-only and reserved bits keep their value; W1C bits clear where a 1 is written.
    let writable = writableMasks[kind]
    let w1c = w1cMasks[kind]
    var new = (old & ~writable & ~(merged & w1c)) | (merged & writable)
    if hot.pointee.hasStuckBits { new = applyStuckBits(d, new, smmuAperture) }
    if hot.pointee.rulesActive && writeHasRules(d) {
      checkWriteRules(d, old: old, new: new, offset: offset, width: width, written: value, initiator: initiator,
        smmuAperture: smmuAperture)
    }
    if d.kind == .prod {  // the doorbell: no side effect but the ready bit
      queues[d.index].prod = UInt32(truncatingIfNeeded: new)
      updateReady(d.index)
    } else {
      store(d, old: old, new: new, offset: offset, written: value, initiator: initiator)
    }
    if hot.pointee.observed { emitWrite(d, offset, width, value, old, initiator, smmuAperture) }
    if hot.pointee.violationsPending { reportPendingViolations() }
  }

  /// Whether ``checkWriteRules(_:old:new:offset:width:written:initiator:smmuAperture:)``
  /// can find anything for this write: not for read-only registers, and a
  /// PROD write (a doorbell, the most frequent write) only matters to the
  /// rules while its queue is enabled.
  func writeHasRules(_ d: DecodedAccess) -> Bool {
    switch d.kind {
    case .prod: queues[d.index].config & 1 != 0
    case .smmuCMDQProd: smmuCR0 & SMMUOffsets.cr0CMDQEN != 0
    case .cmdqvParam, .cmdqvStatus, .viErrMap, .viIntMask, .cmdqErrMap, .vintfStatus, .lvcmdqErrMap, .vcmdqStatus,
      .gerror, .smmuIDR1, .smmuCR0Ack, .smmuGError:
      false
    default: true
    }
  }

  @inline(never)
  func emitWrite(
    _ d: DecodedAccess, _ offset: Int, _ width: Int, _ value: UInt64, _ old: UInt64, _ initiator: Initiator,
    _ smmuAperture: Bool
  ) {
    emit(
      .mmio(
        MMIOAccess(
          direction: .write, initiator: initiator, map: mapName(smmuAperture), offset: offset, width: width,
          value: value, old: old, new: registerValue(d),
          register: registerInstance(at: offset, smmuAperture: smmuAperture),
          resolvedVCMDQ: d.logical ? d.index : nil)))
  }

  func mapName(_ smmuAperture: Bool) -> String { smmuAperture ? "smmuv3" : "tegra241_cmdqv" }

  @inline(never)
  func recordAccessFault(
    _ reason: AccessFault.Reason, _ direction: MMIOAccess.Direction, _ offset: Int, _ width: Int, _ value: UInt64,
    _ initiator: Initiator, _ smmuAperture: Bool
  ) {
    // Naming the register costs a layout decode: only for faults, which are rare.
    let instance = registerInstance(at: offset, smmuAperture: smmuAperture)
    let fault = AccessFault(
      reason: reason, direction: direction, initiator: initiator, map: mapName(smmuAperture), offset: offset,
      width: width, value: direction == .write ? value : 0, register: instance?.name)
    accessFaults.append(fault)
    logFault(.access(fault))
    if observed {
      emit(
        .mmio(
          MMIOAccess(
            direction: direction, initiator: initiator, map: mapName(smmuAperture), offset: offset, width: width,
            value: direction == .write ? value : 0, register: instance, accepted: false)))
      emit(.accessFault(fault))
    }
  }

  /// The whole register's current value (both halves of a 64-bit register).
  func registerValue(_ d: DecodedAccess) -> UInt64 {
    // PROD and CONS carry most accesses (doorbells, polls): two compares
    // instead of the jump table of every register.
    if d.kind == .prod { return UInt64(queues[d.index].prod) }
    if d.kind == .cons { return UInt64(queues[d.index].cons) }
    return anyRegisterValue(d)
  }

  func anyRegisterValue(_ d: DecodedAccess) -> UInt64 {
    switch d.kind {
    case .cons: return UInt64(queues[d.index].cons)
    case .prod: return UInt64(queues[d.index].prod)
    case .vcmdqConfig: return UInt64(queues[d.index].config)
    case .vcmdqStatus: return UInt64(queues[d.index].enable.current)
    case .gerror: return UInt64(queues[d.index].gerror)
    case .gerrorn: return UInt64(queues[d.index].gerrorn)
    case .base: return queues[d.index].base
    case .consIndexBase: return queues[d.index].consIndexBase
    case .cmdqvConfig: return UInt64(cmdqvConfig)
    case .cmdqvParam: return UInt64(configuration.paramValue)
    case .cmdqvStatus: return UInt64(cmdqvEnable.current)
    case .viErrMap: return viErrMap()
    case .viIntMask: return viIntMask
    case .cmdqErrMap: return UInt64(cmdqErrMap(d.index))
    case .cmdqAlloc: return UInt64(queues[d.index].alloc)
    case .vintfConfig: return UInt64(vintfConfig[d.index])
    case .vintfStatus: return UInt64(vintfStatus(d.index))
    case .sidMatch: return UInt64(sidMatch[d.index * numSIDs + d.sub])
    case .sidReplace: return UInt64(sidReplace[d.index * numSIDs + d.sub])
    case .lvcmdqErrMap: return lvcmdqErrMap(vintf: d.index, word: d.sub)
    case .smmuIDR1: return UInt64(configuration.smmuIDR1Value)
    case .smmuCR0: return UInt64(smmuCR0)
    case .smmuCR0Ack: return UInt64(smmuCR0Ack.current)
    case .smmuGError: return UInt64(queues[smmuQueue].gerror)
    case .smmuGErrorN: return UInt64(queues[smmuQueue].gerrorn)
    case .smmuCMDQBase: return queues[smmuQueue].base
    case .smmuCMDQProd: return UInt64(queues[smmuQueue].prod)
    case .smmuCMDQCons: return UInt64(queues[smmuQueue].cons)
    }
  }

  /// Stores a write that passed the access rules and applies its side effects.
  func store(_ d: DecodedAccess, old: UInt64, new: UInt64, offset: Int, written: UInt64, initiator: Initiator) {
    let v32 = UInt32(truncatingIfNeeded: new)
    switch d.kind {
    case .prod:
      queues[d.index].prod = v32
      updateReady(d.index)
    case .cons:
      queues[d.index].cons = v32
      updateReady(d.index)
    case .vcmdqConfig:
      queues[d.index].config = v32
      let latency = v32 & 1 != 0 ? configuration.vcmdqLatency.enable : configuration.vcmdqLatency.disable
      if queues[d.index].enable.request(v32 & 1, latency: latency) { completeVCMDQ(d.index) }
      handshakesPending = handshakesPending || queues[d.index].enable.isPending
    case .gerrorn:
      let wasCMDQErr = queues[d.index].cmdqErrorPending
      let wasPending = queues[d.index].errorPending
      let derived = observed ? derivedRegisters() : []
      queues[d.index].gerrorn = v32
      acknowledged(d.index, wasCMDQErrPending: wasCMDQErr)
      updateReady(d.index)
      if wasPending != queues[d.index].errorPending {
        stateChanged(queueName(d.index), "error_pending", wasPending ? 1 : 0, wasPending ? 0 : 1)
        if observed { reportDerivedChanges(from: derived) }
      }
    case .base:
      queues[d.index].base = new
      updateReady(d.index)
      runnableDirty = true
    case .consIndexBase: queues[d.index].consIndexBase = new
    case .cmdqvConfig:
      cmdqvConfig = v32
      let latency = v32 & 1 != 0 ? configuration.cmdqvLatency.enable : configuration.cmdqvLatency.disable
      if cmdqvEnable.request(v32 & 1, latency: latency) { completeCMDQV() }
      handshakesPending = handshakesPending || cmdqvEnable.isPending
    case .viIntMask: viIntMask = new
    case .cmdqAlloc:
      let before = queues[d.index].alloc
      reportingDerivedChanges {
        queues[d.index].alloc = v32
        updateLogicalMap(oldAlloc: before, newAlloc: v32)
      }
      runnableDirty = true
    case .vintfConfig:
      vintfConfig[d.index] = v32
      let latency = v32 & 1 != 0 ? configuration.vintfLatency.enable : configuration.vintfLatency.disable
      if vintfEnable[d.index].request(v32 & 1, latency: latency) { completeVINTF(d.index) }
      handshakesPending = handshakesPending || vintfEnable[d.index].isPending
      runnableDirty = true  // HYP_OWN and VMID change how queues filter
    case .sidMatch: sidMatch[d.index * numSIDs + d.sub] = v32
    case .sidReplace: sidReplace[d.index * numSIDs + d.sub] = v32
    case .smmuCR0:
      smmuCR0 = v32
      let latency =
        v32 & SMMUOffsets.cr0CMDQEN != 0 ? configuration.smmuCR0Latency.enable : configuration.smmuCR0Latency.disable
      if smmuCR0Ack.request(v32, latency: latency) { completeSMMUCR0() }
      handshakesPending = handshakesPending || smmuCR0Ack.isPending
    case .smmuGErrorN:
      let wasCMDQErr = queues[smmuQueue].cmdqErrorPending
      let wasPending = queues[smmuQueue].errorPending
      queues[smmuQueue].gerrorn = v32
      acknowledged(smmuQueue, wasCMDQErrPending: wasCMDQErr)
      updateReady(smmuQueue)
      if wasPending != queues[smmuQueue].errorPending {
        stateChanged("SMMU_CMDQ", "error_pending", wasPending ? 1 : 0, wasPending ? 0 : 1)
      }
    case .smmuCMDQBase:
      queues[smmuQueue].base = new
      updateReady(smmuQueue)
      runnableDirty = true
    case .smmuCMDQProd:
      queues[smmuQueue].prod = v32
      updateReady(smmuQueue)
    case .smmuCMDQCons:
      queues[smmuQueue].cons = v32
      updateReady(smmuQueue)
    case .cmdqvParam, .cmdqvStatus, .viErrMap, .cmdqErrMap, .vintfStatus, .lvcmdqErrMap, .vcmdqStatus, .gerror,
      .smmuIDR1, .smmuCR0Ack, .smmuGError:
      break  // read-only: the access rules already kept every bit
    }
  }

  /// Acknowledging CMDQ_ERR clears CONS.ERR (cloud-hypervisor; CONS.ERR is
  /// read-only in the map so this is software's only way to clear it).
  func acknowledged(_ q: Int, wasCMDQErrPending: Bool) {
    guard wasCMDQErrPending && !queues[q].cmdqErrorPending else { return }
    let old = queues[q].cons
    queues[q].cons &= ~QueueBits.consErrMask
    if observed { reportCONS(q, old: old) }
  }

  /// Points the logical slots named by the old and new CMDQ_ALLOC values at
  /// the lowest global VCMDQ assigned to them (assignment fields only; the
  /// ALLOC bit does not take part, see Docs/HardwareModel.md).
  func updateLogicalMap(oldAlloc: UInt32, newAlloc: UInt32) {
    for a in [oldAlloc, newAlloc] {
      let v = Int(a >> AllocBits.vintfShift & AllocBits.vintfMask)
      let l = Int(a >> AllocBits.lvcmdqShift & AllocBits.lvcmdqMask)
      guard v < numVINTFs else { continue }
      var found: Int32 = -1
      for q in 0..<numVCMDQs where queues[q].allocVINTF == v && queues[q].allocLVCMDQ == l {
        found = Int32(q)
        break
      }
      logicalMap[v * CMDQVOffsets.maxLVCMDQs + l] = found
    }
  }

  /// Rebuilds the whole logical map (reset).
  func rebuildLogicalMap() {
    logicalMap.update(repeating: -1, count: numVINTFs * CMDQVOffsets.maxLVCMDQs)
    for q in (0..<numVCMDQs).reversed() where queues[q].allocVINTF < numVINTFs {
      logicalMap[queues[q].allocVINTF * CMDQVOffsets.maxLVCMDQs + queues[q].allocLVCMDQ] = Int32(q)
    }
  }
}
