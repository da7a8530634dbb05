import CMDQVModel
import CMDQVRegisters
import Testing

/// The event-driven engine (ready set, idle jumps) against the reference
/// engine that visits every runnable queue every cycle: the same seeded
/// stream of MMIO accesses and steps must give the same events, cycle for
/// cycle, and the same final state.
@Suite struct SchedulingEquivalenceTests {
  /// A device with two host queues per VINTF and the SMMU CMDQ backed and
  /// pre-filled with commands, so random PROD writes give the engine work.
  func makeDevice(exhaustive: Bool, latency: Int) -> (CMDQVDevice, EventRecorder) {
    var c = config(latency: latency, commandsPerCycle: 3)
    c.cmdqvLatency = .init(enable: latency, disable: latency + 1)
    c.vintfLatency = .init(enable: latency + 2, disable: latency)
    c.logLimit = 8
    let d = CMDQVDevice(configuration: c)
    d._exhaustiveScheduling = exhaustive
    let recorder = EventRecorder()
    d.eventSink = recorder
    for q in 0...d.configuration.numVCMDQs {
      let base = queueBase(q)
      d.memory.backRange(base: base, length: 16 * 16)
      for i in 0..<16 {
        // Mostly valid commands, one unknown opcode, one SYNC with CS=SEV (an error on a VCMDQ).
        let command: SMMUCommand =
          i == 7 ? SMMUCommand(dword0: 0xFF, dword1: 0) : i == 11 ? .sync(cs: 1) : .tlbiNHASID(asid: UInt16(i))
        d.memory.storeCommand(command, at: base + UInt64(16 * i))
      }
    }
    return (d, recorder)
  }

  func queueBase(_ q: Int) -> UInt64 { 0x8000_0000 + UInt64(q) * 0x1000 }

  /// One seeded random access or step, applied identically to both devices.
  func randomAction(_ rng: inout SplitMix64, _ devices: [CMDQVDevice]) {
    let n = devices[0].configuration.numVCMDQs
    let q = Int(rng.next() % UInt64(n))
    let v = Int(rng.next() % UInt64(devices[0].configuration.numVINTFs))
    let r = rng.next()
    let small = UInt32(truncatingIfNeeded: rng.next() % 40)
    for d in devices {
      switch r % 16 {
      case 0: d.write32(UInt32(small & 1), at: Off.config)
      case 1: d.write32(UInt32(v) << 15 | UInt32(q % 2) << 1 | UInt32(small & 1), at: Off.alloc(q))
      case 2: d.write32(small & 1 | (small & 2) << 2, at: Off.vintfConfig(v))
      case 3: d.write32(small & 1, at: Off.page0(q) + Off.qconfig)
      case 4, 5, 6: d.write32(small, at: Off.page0(q) + Off.prod)
      case 7: d.write32(small & 0x1F, at: Off.page0(q) + Off.cons)
      case 8: d.write32(d.read32(at: Off.page0(q) + Off.gerror), at: Off.page0(q) + Off.gerrorn)
      case 9:
        let base = small == 3 ? queueBase(q) + 8 : queueBase(q)  // sometimes misaligned
        d.write64(base | 4, at: Off.page1(q))
      case 10: d.smmu.write32(small & 1 == 0 ? 0 : 1 << 3, at: SOff.cr0)  // CR0.CMDQEN
      case 11: d.smmu.write64(queueBase(n) | 4, at: SOff.cmdqBase)
      case 12: d.smmu.write32(small, at: SOff.cmdqProd)
      case 13: _ = d.read32(at: Off.lpage0(v, q % 2) + Off.cons)
      case 14: d.step(cycles: Int(small) * 7)
      default: d.step()
      }
    }
  }

  @Test(arguments: [(UInt64(1), 0), (2, 1), (3, 3), (4, 9)])
  func randomMMIOGivesTheSameEventsUnderBothEngines(seed: UInt64, latency: Int) throws {
    let (fast, fastEvents) = makeDevice(exhaustive: false, latency: latency)
    let (reference, referenceEvents) = makeDevice(exhaustive: true, latency: latency)
    var rng = SplitMix64(seed: seed)
    for i in 0..<4000 {
      if i == 2000 {
        // Half the run unobserved, so the idle jumps run too.
        fast.eventSink = nil
        reference.eventSink = nil
      }
      randomAction(&rng, [fast, reference])
    }
    fast.step(cycles: 10_000)
    reference.step(cycles: 10_000)
    #expect(fastEvents.events.count > 500, "the workload should do something")
    expectSame(fastEvents.events, referenceEvents.events)
    #expect(fast.cycle == reference.cycle)
    #expect(fast.description == reference.description)
    expectSame(fast.executedCommands, reference.executedCommands)
    expectSame(Array(fast.commandErrors), Array(reference.commandErrors))
    #expect(fast.commandErrors.totalCount == reference.commandErrors.totalCount)
    #expect(fast.interruptCount == reference.interruptCount)
  }

  /// `readl_poll_timeout` on a STATUS that never changes (a stuck VINTF
  /// enable), as the driver layer's poll runs it: with skips, the skipped
  /// reads are replayed as events identical to the ones the plain loop emits.
  @Test(arguments: [false, true])
  func pollSkipStandsForTheReadsItSkips(observed: Bool) throws {
    func run(skipping: Bool) throws -> (CMDQVDevice, [HardwareEvent]) {
      var c = config(latency: 3)
      c.cyclesPerMicrosecond = 7
      let d = CMDQVDevice(configuration: c)
      let recorder = EventRecorder()
      if observed { d.eventSink = recorder }
      try d.injectStuckHandshake(.vintf(1))
      d.write32(1, at: Off.vintfConfig(1))
      let deadline = d.cycle + 1000 * 7
      while true {
        let value = d.read32(at: Off.vintfStatus(1))
        if value & 1 == 1 || d.cycle >= deadline { break }
        let left = (deadline - d.cycle + 6) / 7
        if !skipping || d.skipIdlePoll(upToMicroseconds: left) == 0 { d.delay(microseconds: 1) }
      }
      return (d, recorder.events)
    }
    let (plain, plainEvents) = try run(skipping: false)
    let (skipping, skippingEvents) = try run(skipping: true)
    #expect(plain.cycle == skipping.cycle)
    #expect(plain.mmioAccessCount == 1002 && skipping.mmioAccessCount == 1002)
    #expect(plainEvents.count == (observed ? 1003 : 0))  // injection + write + 1001 reads
    expectSame(skippingEvents, plainEvents)
  }

  /// A read that faults has an effect (a fault record) even when the value
  /// does not change: such a poll is never skipped.
  @Test func aFaultingPollIsNotSkipped() {
    let d = CMDQVDevice(configuration: config())
    d.step()  // settles the reset state
    _ = d.read(at: Off.config, width: 8)
    #expect(d.skipIdlePoll(upToMicroseconds: 100) == 0)
    #expect(d.skipIdlePoll(upToMicroseconds: 100) == 100)
    _ = d.read(at: Off.config, width: 8)
    #expect(d.skipIdlePoll(upToMicroseconds: 100) == 0)
    #expect(d.faults.totalCount == 2)
  }

  @Test func idleStepsJumpButCountEveryCycle() {
    let d = CMDQVDevice(configuration: config(latency: 5))
    d.write32(0, at: Off.config)  // CMDQV (enabled at reset) disables in 5 cycles
    d.step(cycles: 4)
    #expect(d.read32(at: Off.status) & 1 == 1)
    d.step(cycles: 1)
    #expect(d.read32(at: Off.status) & 1 == 0)
    d.step(cycles: 1_000_000_000_000)
    #expect(d.cycle == 1_000_000_000_005)
  }

  @Test func runUntilSeesAHandshakeCompleteAfterAnIdleStretch() {
    let d = CMDQVDevice(configuration: config(latency: 500))
    d.write32(0, at: Off.config)
    let start = d.cycle
    #expect(d.run(until: { $0.read32(at: Off.status) & 1 == 0 }, maxCycles: 10_000))
    #expect(d.cycle - start == 500)
  }
}

/// Expects equal sequences; on a difference names its index and both
/// elements instead of printing the whole sequences.
func expectSame<T: Equatable>(_ a: [T], _ b: [T], sourceLocation: SourceLocation = #_sourceLocation) {
  guard let i = a.indices.first(where: { $0 < b.count && a[$0] != b[$0] }) ?? (a.count == b.count ? nil : min(a.count, b.count))
  else { return }
  let left = i < a.count ? "\(a[i])" : "(end)"
  let right = i < b.count ? "\(b[i])" : "(end)"
  Issue.record("first difference at \(i) of \(a.count)/\(b.count): \(left) vs \(right)", sourceLocation: sourceLocation)
}
