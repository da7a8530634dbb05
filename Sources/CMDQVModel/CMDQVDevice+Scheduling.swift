import CMDQVRegisters

// Event-driven scheduling. `runnable` lists the queues allowed to consume
// (enabled, allocated, valid BASE); the ready bitmap marks those of them that
// can consume *now* (CONS ≠ PROD and no CMDQ_ERR pending). A cycle visits only
// ready queues, and a stretch of cycles in which no queue is ready and no
// handshake is due is skipped in one jump. ``_exhaustiveScheduling`` keeps
// the original visit-every-queue-every-cycle engine as a reference.

extension CMDQVDevice {
  /// Whether queue slot `q` has an entry to consume: CONS ≠ PROD (index and
  /// wrap) and no CMDQ_ERR pending. Exactly the cases in which
  /// ``executeOne(_:)`` returns `true`.
  func hasWork(_ q: Int) -> Bool {
    let s = queues + q
    if s.pointee.cmdqErrorPending { return false }
    return !QueuePointers(log2Size: log2Size(q)).isEmpty(prod: s.pointee.prod, cons: s.pointee.cons)
  }

  /// Recomputes queue slot `q`'s ready bit. Called wherever PROD, CONS,
  /// BASE, GERROR or GERRORN of `q` change and when `runnable` is rebuilt.
  func updateReady(_ q: Int) {
    let ready = runnableRank[q] >= 0 && hasWork(q)
    let bit: UInt64 = 1 << UInt64(q & 63)
    if ready { readyWords[q >> 6] |= bit } else { readyWords[q >> 6] &= ~bit }
  }

  /// Whether any queue is ready.
  var anyReady: Bool {
    for w in 0..<readyWordCount where readyWords[w] != 0 { return true }
    return false
  }

  /// The first ready queue slot at or after `start`, wrapping round; `nil`
  /// when no queue is ready.
  func nextReady(from start: Int) -> Int? {
    var w = start >> 6
    // The start word from `start` on, the following words, then wrap round
    // (back to the start word, whose low bits are then included).
    var bits = readyWords[w] & (~UInt64(0) << UInt64(start & 63))
    if bits != 0 { return w << 6 | bits.trailingZeroBitCount }
    let n = readyWordCount
    for _ in 0..<n {
      w += 1
      if w == n { w = 0 }
      bits = readyWords[w]
      if bits != 0 { return w << 6 | bits.trailingZeroBitCount }
    }
    return nil
  }

  /// One cycle's command budget, shared round-robin between the ready
  /// queues. `roundRobin` is a position in `runnable`, kept exactly as the
  /// exhaustive engine keeps it, so both pick the same queues in the same order.
  func consumeReady() {
    var budget = configuration.commandsPerCycle
    let n = runnableCount
    var position = roundRobin < n ? roundRobin : 0
    while budget > 0, let q = nextReady(from: Int(runnable[position])) {
      let consumed = executeOne(q)
      updateReady(q)
      if consumed {
        budget -= 1
        position = Int(runnableRank[q]) + 1
        if position == n { position = 0 }
      }
    }
    roundRobin = position
  }

  /// The reference engine: visits every runnable queue in turn until the
  /// budget is spent or a whole lap consumed nothing.
  func consumeExhaustive() {
    var budget = configuration.commandsPerCycle
    let n = runnableCount
    var i = roundRobin < n ? roundRobin : 0
    var idle = 0
    while budget > 0 && idle < n {
      let q = Int(runnable[i])
      i += 1
      if i == n { i = 0 }
      let consumed = executeOne(q)
      updateReady(q)
      if consumed {
        budget -= 1
        idle = 0
      } else {
        idle += 1
      }
    }
    roundRobin = i
  }

  /// How many of the coming cycles would change nothing but ``cycle`` (and
  /// the countdown of pending handshakes): no queue is ready, `runnable` is
  /// current, and the next non-stuck handshake completes only after them.
  /// `UInt64.max` when nothing will ever change without an MMIO access.
  func quietCycles() -> UInt64 {
    if _exhaustiveScheduling || runnableDirty || anyReady { return 0 }
    guard handshakesPending else { return .max }
    var next = UInt64.max
    func consider(_ h: Handshake) {
      // A pending handshake completes on the step that brings `remaining` to 0
      // (at once when it is already 0 after a stuck period).
      if h.isPending && !h.stuck { next = min(next, UInt64(max(h.remaining, 1))) }
    }
    consider(cmdqvEnable)
    for v in 0..<numVINTFs { consider(vintfEnable[v]) }
    for q in 0..<numVCMDQs { consider(queues[q].enable) }
    consider(smmuCR0Ack)
    return next == .max ? .max : next - 1
  }

  /// Runs `cycles` quiet cycles (at most ``quietCycles()``) in one go.
  func skipQuiet(_ cycles: UInt64) {
    hot.pointee.cycle += cycles
    if handshakesPending {
      let by = Int(clamping: cycles)
      func advance(_ h: inout Handshake) { if h.isPending && !h.stuck { h.remaining -= by } }
      advance(&cmdqvEnable)
      for v in 0..<numVINTFs { advance(&vintfEnable[v]) }
      for q in 0..<numVCMDQs { advance(&queues[q].enable) }
      advance(&smmuCR0Ack)
    }
    // Each skipped step would have started its (empty) round-robin lap from
    // the start of `runnable` if the position had fallen off its end.
    if runnableCount > 0 && roundRobin >= runnableCount { roundRobin = 0 }
  }

  /// Faults recorded so far (every kind, dropped ones included). An MMIO
  /// access that faults has an effect even when its value does not change,
  /// so a poll or a `run(until:)` condition that faulted is never skipped.
  var faultsRecordedTotal: Int { faults.totalCount }
}

extension CMDQVDevice {
  /// Stands in for the iterations of a `readl_poll_timeout` loop (one MMIO
  /// read, then `udelay(1)`) while the model is idle. If no queue is ready,
  /// no handshake is due and no fault was recorded since the last call,
  /// advances by as many whole microseconds `k` of the idle stretch as it
  /// can, up to `limit`, and returns `k`; otherwise returns 0.
  ///
  /// The `k` delays and the `k - 1` reads between them are not run: each
  /// read would have returned the value of the caller's last one. They are
  /// still counted in ``mmioAccessCount``, and when an event sink or closure
  /// is attached (and the caller's read was the last event) they are
  /// replayed as events with their own sequence numbers and cycles, so a
  /// trace is the same as if the loop had run.
  public func skipIdlePoll(upToMicroseconds limit: UInt64) -> UInt64 {
    let faultsNow = faultsRecordedTotal
    defer { faultsSeenBySkip = faultsNow }
    guard faultsNow == faultsSeenBySkip, limit > 0 else { return 0 }
    let perMicrosecond = configuration.cyclesPerMicrosecond
    var microseconds = min(quietCycles() / perMicrosecond, limit)
    guard microseconds > 0 else { return 0 }
    if observed {
      guard let last = lastRead, last.sequence == sequence else { return 0 }
      microseconds = replayReads(last.read, microseconds: microseconds)
    } else {
      hot.pointee.mmioAccesses += Int(microseconds - 1)
    }
    skipQuiet(microseconds * perMicrosecond)
    return microseconds
  }

  /// Emits `access` once per skipped microsecond but the last, stamped with
  /// the cycle its read would have run at. Stops early (returning the
  /// microseconds covered) if a listener touches the device meanwhile.
  private func replayReads(_ read: AcceptedRead, microseconds: UInt64) -> UInt64 {
    let access = readAccess(read)
    let start = cycle
    let perMicrosecond = configuration.cyclesPerMicrosecond
    var covered = microseconds
    // One event restamped per read (as `emit` would stamp it), not rebuilt
    // and copied a million times for a poll that times out.
    var event = HardwareEvent(sequence: 0, cycle: 0, payload: .mmio(access))
    for j in 1..<microseconds {
      hot.pointee.cycle = start + j * perMicrosecond
      hot.pointee.mmioAccesses += 1
      let accesses = hot.pointee.mmioAccesses
      sequence += 1
      event.sequence = sequence
      event.cycle = cycle
      eventSink?.record(event)
      onEvent?(event)
      if hot.pointee.mmioAccesses != accesses || !observed {
        covered = j  // a listener reacted: run normally from this read on
        break
      }
    }
    lastRead = (sequence, read)
    hot.pointee.cycle = start
    return covered
  }
}
