import CMDQVRegisters

extension CMDQVDevice {
  /// Fetches and executes the entry at CONS of queue slot `q`. Returns `false`
  /// when the queue could not consume (empty, or stalled on a pending CMDQ_ERR).
  func executeOne(_ q: Int) -> Bool {
    let s = queues + q
    if s.pointee.cmdqErrorPending { return false }
    let isSMMU = q == smmuQueue
    // Q_IDX / Q_WRP arithmetic (see QueuePointers), written out: this runs per command.
    let wrapIndexMask: UInt32 = (1 << UInt32(log2Size(q) + 1)) - 1
    let cons = s.pointee.cons
    if (s.pointee.prod ^ cons) & wrapIndexMask == 0 { return false }
    let index = cons & (wrapIndexMask >> 1)
    let addrMask = isSMMU ? QueueBits.smmuAddrMask : QueueBits.vcmdqAddrMask
    let address = (s.pointee.base & addrMask) &+ UInt64(index) << 4

    if s.pointee.forcedErrorAt != 0 && s.pointee.executedCount + 1 == s.pointee.forcedErrorAt {
      s.pointee.forcedErrorAt = 0
      raiseCommandError(
        q, code: s.pointee.forcedErrorCode, command: memory.loadCommand(at: address),
        reason: "injected CERROR at command \(s.pointee.executedCount + 1)", consIndex: index)
      return true
    }
    if hot.pointee.hasFetchAborts && fetchAbortRanges.contains(where: { $0.overlaps(address..<address &+ 16) }) {
      raiseCommandError(q, code: 2, command: nil, reason: "injected fetch abort at 0x\(String(address, radix: 16))", consIndex: index)
      return true
    }
    // Entries are 16-byte aligned, so an entry never crosses a page.
    guard let page = fetchPage(q, address) else {
      raiseCommandError(q, code: 2, command: nil, reason: "fetch from unbacked memory at 0x\(String(address, radix: 16))", consIndex: index)
      return true
    }
    let offset = Int(address & PhysicalMemoryModel.pageMask)
    let d0 = UInt64(littleEndian: page.load(fromByteOffset: offset, as: UInt64.self))
    let d1 = UInt64(littleEndian: page.load(fromByteOffset: offset + 8, as: UInt64.self))
    if offset & 0x3F == 0 && hot.pointee.runnableCount > 1 && offset < PhysicalMemoryModel.pageSize - 0x40 {
      // Entering a cache line while several queues may take turns (each
      // visited every N commands, too many streams for the host's
      // prefetcher): touch the next line of this page now, so the host has
      // fetched it by the time this queue comes back. Only the host's cache
      // sees this read; the sum keeps the load from being optimised away.
      hot.pointee.fetchAhead &+= page.load(fromByteOffset: offset + 0x40, as: UInt8.self)
    }
    var command = SMMUCommand(dword0: d0, dword1: d1)
    let op = opcodeTraits[Int(d0 & 0xFF)]
    let vintf = isSMMU ? -1 : s.pointee.allocVINTF
    let guestOwned = !isSMMU && vintfConfig[vintf] & AllocBits.hypOwn == 0
    if op & OpcodeTraits.plain == 0 || (guestOwned && op & OpcodeTraits.guestAccepted == 0) {
      if let reason = commandRefusal(command, op, isSMMU: isSMMU, guestOwned: guestOwned) {
        raiseCommandError(q, code: reason.code, command: command, reason: reason.text, consIndex: index)
        return true
      }
    }
    var virtualStreamID: UInt32? = nil
    if guestOwned {
      if op & OpcodeTraits.carriesStreamID != 0 {
        let vsid = command.streamID
        guard let psid = physicalStreamID(vintf: vintf, virtual: vsid) else {
          raiseCommandError(
            q, code: 4, command: command, reason: "vSID 0x\(String(vsid, radix: 16)) matches no enabled SID_MATCH of VINTF\(vintf)",
            consIndex: index)
          return true
        }
        command.streamID = psid
        virtualStreamID = vsid
      } else if op & OpcodeTraits.carriesVMID != 0 {
        command.vmid = UInt16(truncatingIfNeeded: vintfConfig[vintf] >> AllocBits.vmidShift)
      }
    }

    if hot.pointee.recordsExecutedCommands || hot.pointee.observed {
      let executed = ExecutedCommand(
        command: command, source: queueID(q), consIndex: index, virtualStreamID: virtualStreamID, cycle: cycle)
      if hot.pointee.recordsExecutedCommands {
        executedLog.pointee.append(executed)
        if executedLog.pointee.count > configuration.executedCommandLimit { dropOldestExecutedCommands() }
      }
      if hot.pointee.observed { emitCommand(executed) }
    }
    s.pointee.cons = (cons & ~wrapIndexMask) | ((cons &+ 1) & wrapIndexMask)
    s.pointee.executedCount += 1
    if isSMMU && op & OpcodeTraits.sync != 0 { countedSMMUSync() }
    return true
  }

  /// Why a command whose opcode is not ``OpcodeTraits/plain`` (unknown,
  /// CMD_SYNC, the SSEC-checked ones), or is refused from a guest-owned VINTF, is not
  /// executed, as a CERROR code and reason; `nil` when it may run.
  @inline(never)
  func commandRefusal(_ command: SMMUCommand, _ traits: UInt8, isSMMU: Bool, guestOwned: Bool)
    -> (code: UInt8, text: String)?
  {
    guard let op = command.opcode else {
      return (1, "unknown opcode 0x\(String(command.dword0 & 0xFF, radix: 16))")
    }
    if guestOwned && traits & OpcodeTraits.guestAccepted == 0 {
      return (4, "\(op) is not accepted from a guest-owned VINTF")
    }
    switch op {
    case .sync:
      let cs = command.syncCompletionSignal
      if cs == 3 { return (1, "CMD_SYNC with reserved CS=3") }
      if !isSMMU && cs != 0 { return (1, "a VCMDQ accepts CMD_SYNC only with CS=NONE") }
    case .prefetchConfig, .prefetchAddr, .cfgiSTE, .cfgiSTERange, .cfgiCD, .cfgiCDAll:
      if command.ssec { return (1, "SSEC=1 on a Non-secure queue") }
    default: break
    }
    return nil
  }

  /// The storage of the page holding `address` for queue slot `q`, from the
  /// queue's own one-page cache when it is still valid; `nil` if unbacked.
  func fetchPage(_ q: Int, _ address: UInt64) -> UnsafeMutableRawPointer? {
    let s = queues + q
    let page = address >> PhysicalMemoryModel.pageShift
    let generation = memory.generation
    if s.pointee.fetchPage == page && s.pointee.fetchGeneration == generation { return s.pointee.fetchStorage }
    guard let storage = memory.storage(ofPage: page) else { return nil }
    s.pointee.fetchPage = page
    s.pointee.fetchStorage = storage
    s.pointee.fetchGeneration = generation
    return storage
  }

  /// SID_REPLACE.PHYS_SID of the lowest enabled SID_MATCH slot of `vintf`
  /// whose VIRT_SID equals the whole 32-bit `virtual` StreamID (a vSID above
  /// 20 bits can never match).
  func physicalStreamID(vintf: Int, virtual vsid: UInt32) -> UInt32? {
    guard vsid <= 0xF_FFFF else { return nil }
    let key = vsid << 1 | 1
    let first = vintf * numSIDs
    for s in first..<(first + numSIDs) where sidMatch[s] & 0x1F_FFFF == key {
      return sidReplace[s] & 0xF_FFFF
    }
    return nil
  }
}
