import CMDQVModel
import CMDQVRegisters
import Testing

@Suite struct LazyMemoryTests {
  @Test func backingRecordsTheRangeAndTouchAllocates() {
    let m = PhysicalMemoryModel()
    m.backRange(base: 0x1_0000_0000, length: 64 << 30)  // a 64 GiB guest
    #expect(m.backedPageCount == 16 << 20)
    #expect(m.touchedPageCount == 0)
    #expect(m.isBacked(0x1_0000_0000, count: 64 << 30))
    #expect(!m.isBacked(0x0FFF_FFFF, count: 2))
    // A read of an untouched backed page is zero; a write keeps its value.
    #expect(m.load64(at: 0x2_0000_0008) == 0)
    #expect(m.store64(0x1122_3344_5566_7788, at: 0x8_0000_0010))
    #expect(m.load64(at: 0x8_0000_0010) == 0x1122_3344_5566_7788)
    #expect(m.touchedPageCount == 2)
    #expect(m.load64(at: 0x11_0000_0000) == nil, "past the end of the guest")
  }

  @Test func rangesMergeAndSplit() {
    let m = PhysicalMemoryModel()
    m.backRange(base: 0x1000, length: 0x1000)
    m.backRange(base: 0x3000, length: 0x1000)
    #expect(!m.isBacked(0x1000, count: 0x3000))
    m.backRange(base: 0x2000, length: 0x1000)  // fills the hole: one range
    #expect(m.isBacked(0x1000, count: 0x3000))
    #expect(m.store64(7, at: 0x2000))
    m.unback(base: 0x2000, length: 1)
    #expect(m.isBacked(0x1000, count: 0x1000) && m.isBacked(0x3000, count: 0x1000))
    #expect(!m.isBacked(0x2000, count: 1))
    #expect(m.touchedPageCount == 0)
    m.backRange(base: 0x2000, length: 0x1000)
    #expect(m.load64(at: 0x2000) == 0, "re-backed memory starts zeroed")
  }

  /// A queue keeps its fetch page; unbacking the ring under it turns the
  /// next fetch into CERROR_ABT instead of reading freed storage.
  @Test func unbackingUnderARunningQueueAborts() {
    let d = CMDQVDevice(configuration: config())
    let q = d.makeQueue(base: 0x7000_0000, log2Size: 4)
    q.submit([.tlbiNHASID(asid: 1)])
    d.step(cycles: 2)
    #expect(d.executedCommands.count == 1)
    d.memory.unback(base: 0x7000_0000, length: 0x1000)
    q.submit([.tlbiNHASID(asid: 2)])
    d.step(cycles: 2)
    #expect(d.commandErrors.first?.code == 2)
  }
}

@Suite struct BoundedLogTests {
  @Test(arguments: [0, 1, 3])
  func keepsTheFirstAndTheLastRecords(limit: Int) {
    var log = BoundedLog<Int>(limit: limit)
    for i in 0..<10 { log.append(i) }
    #expect(log.totalCount == 10)
    #expect(Array(log) == Array(0..<limit) + Array((10 - limit)..<10))
    #expect(log.droppedCount == 10 - 2 * limit)
    #expect(log.head == Array(0..<limit))
    #expect(log.tail == Array((10 - limit)..<10))
    log.removeAll()
    #expect(log.isEmpty && log.totalCount == 0)
  }

  @Test func aGuestFaultingAMillionTimesKeepsBoundedRecords() {
    var c = config()
    c.logLimit = 4
    let d = CMDQVDevice(configuration: c)
    let recorder = EventRecorder()
    for i in 0..<100_000 {
      if i == 99_990 { d.eventSink = recorder }
      d.write32(1, at: 0x2)  // misaligned: an access fault each time
    }
    #expect(d.faults.totalCount == 100_000 && d.faults.count == 8 && d.faults.droppedCount == 99_992)
    #expect(d.accessFaults.totalCount == 100_000 && d.accessFaults.count == 8)
    #expect(d.description.contains("100000 faults"))
  }

  /// The executed-command log keeps the latest `executedCommandLimit`
  /// commands and counts the rest by queue; counts stay exact.
  @Test func executedCommandsKeepTheLatestAndCountTheRest() {
    var c = config()
    c.executedCommandLimit = 8
    let d = CMDQVDevice(configuration: c)
    // The host-owned VINTF0 with LVCMDQ0 on a 16-entry ring of TLBI_NH_ASIDs.
    d.write32(1, at: 0x0)  // CMDQV_CONFIG.CMDQV_EN
    d.write32(1 | 1 << 17, at: 0x1000)  // VINTF0 enabled, HYP_OWN
    d.write32(1, at: 0x200)  // CMDQ_ALLOC: VCMDQ0 → VINTF0/LVCMDQ0
    let ring: UInt64 = 0x4000_0000
    d.memory.backRange(base: ring, length: 0x1000)
    for i in 0..<16 { _ = d.memory.storeCommand(.tlbiNHASID(asid: UInt16(i)), at: ring + UInt64(16 * i)) }
    d.write64(ring | 4, at: 0x20000)  // VCMDQ0_BASE, LOG2SIZE 4
    d.write32(1, at: 0x10008)  // VCMDQ0_CONFIG.CMDQ_EN
    d.step(cycles: 10)
    d.write32(16 | 12, at: 0x10004)  // PROD: 28 commands (a lap and 12)
    d.step(cycles: 100)
    #expect(d.read32(at: 0x10000) & 0x1F == 28 & 0x1F, "CONS caught up")
    #expect(d.executedCommandCount == 28)
    #expect(d.executedCommands.count <= 8 && d.executedCommands.count >= 4)
    #expect(d.droppedExecutedCommandCount == 28 - d.executedCommands.count)
    #expect(d.droppedExecutedCommandsBySource.values.reduce(0, +) == d.droppedExecutedCommandCount)
    #expect(d.executedCommands.last?.command == .tlbiNHASID(asid: 11), "the latest command is kept")
    #expect(d.description.contains("28 commands"))
    d.clearExecutedCommands()
    #expect(d.executedCommandCount == 0 && d.droppedExecutedCommandsBySource.isEmpty)
  }

  /// Any cycle count a caller passes is safe: the counter saturates at
  /// UInt64.max instead of trapping, and a huge `udelay` does not wrap.
  @Test func theCycleCounterSaturates() {
    let d = CMDQVDevice(configuration: config())
    d.delay(microseconds: UInt64.max)
    #expect(d.cycle == UInt64(Int.max), "udelay(UInt64.max) runs Int.max cycles, not a wrapped product")
    d.step(cycles: Int.max)
    d.step(cycles: Int.max)
    #expect(d.cycle == UInt64.max)
    d.step()
    #expect(!d.run(until: { _ in false }, maxCycles: 10))
    #expect(d.cycle == UInt64.max)
  }

  @Test func theEventStreamSaysWhenALogStartsDropping() {
    var c = config()
    c.logLimit = 2
    let d = CMDQVDevice(configuration: c)
    let recorder = EventRecorder()
    d.eventSink = recorder
    for _ in 0..<6 { d.write32(1, at: 0x2) }
    let notes = recorder.events.compactMap { if case .note(let text) = $0.payload { text } else { nil } }
    #expect(notes == ["fault log full: keeping the first 2 and the last 2 records; the rest are only counted"])
  }
}
