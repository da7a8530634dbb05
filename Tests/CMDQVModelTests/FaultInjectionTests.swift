import CMDQVRegisters
import Testing

@testable import CMDQVModel

@Suite struct FaultInjectionTests {
  @Test(arguments: [HandshakeEntity.cmdqv, .vintf(1), .vcmdq(2), .smmuCR0])
  func stuckHandshakeNeverCompletes(entity: HandshakeEntity) throws {
    let d = CMDQVDevice(configuration: config(latency: 1))
    try d.injectStuckHandshake(entity)
    d.memory.backRange(base: 0x10_0000, length: 0x1000)
    d.write64(0x10_0000 | 4, at: Off.page1(2))
    let read: () -> UInt32
    switch entity {
    case .cmdqv:
      d.write32(0x0002_0082, at: Off.config)
      read = { d.read32(at: Off.status) ^ 1 }
    case .vintf(let v):
      d.write32(1, at: Off.vintfConfig(v))
      read = { d.read32(at: Off.vintfStatus(v)) & 1 }
    case .vcmdq(let q):
      d.write32(1, at: Off.page0(q) + Off.qconfig)
      read = { d.read32(at: Off.page0(q) + Off.qstatus) }
    case .smmuCR0:
      d.smmu.write32(8, at: SOff.cr0)
      read = { d.smmu.read32(at: SOff.cr0ack) }
    case .lvcmdq:
      Issue.record("covered by logicalQueueTargets")
      return
    }
    d.step(cycles: 1000)
    #expect(read() == 0)
    #expect(d.injections.count == 1)
    d.clearInjections()
    d.step()
    #expect(read() != 0, "completes once the injection is removed")
  }

  /// Injections that name a (VINTF, LVCMDQ) pair resolve it through
  /// CMDQ_ALLOC at injection time, as the driver's messages name queues.
  @Test func logicalQueueTargets() throws {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(vintf: 1, lidx: 1)
    #expect(d.globalVCMDQ(vintf: 1, lvcmdq: 1) == q.global)
    #expect(d.globalVCMDQ(vintf: 1, lvcmdq: 3) == nil)
    #expect(d.globalVCMDQ(vintf: 9, lvcmdq: 0) == nil)
    try d.injectCommandError(code: 1, atCommand: 2, on: .lvcmdq(vintf: 1, lvcmdq: 1))
    #expect(d.injections.last?.contains("VINTF1/LVCMDQ1 (VCMDQ\(q.global))") == true)
    q.submit(Array(repeating: .tlbiNHASID(asid: 1), count: 3))
    d.step(cycles: 3)
    #expect(q.cons == 1 | 1 << 24)
    // Unmapped, or outside the device: a FaultInjectionError naming it.
    // VCMDQ6 and 7 (VINTF3's) are moved to VINTF0's LVCMDQ 5 and 6.
    d.write32(5 << 1, at: Off.alloc(6))
    d.write32(6 << 1, at: Off.alloc(7))
    #expect(d.globalVCMDQ(vintf: 0, lvcmdq: 5) == 6)
    #expect(throws: FaultInjectionError.self) { try d.injectCommandError(code: 1, atCommand: 1, on: .lvcmdq(vintf: 3, lvcmdq: 1)) }
    #expect(throws: FaultInjectionError.self) { try d.injectStuckHandshake(.lvcmdq(vintf: 4, lvcmdq: 0)) }
    #expect(throws: FaultInjectionError.self) { try d.injectStuckHandshake(.lvcmdq(vintf: 0, lvcmdq: 99)) }
    do {
      try d.injectStuckHandshake(.lvcmdq(vintf: 3, lvcmdq: 0))
      Issue.record("expected a FaultInjectionError")
    } catch {
      #expect("\(error)".contains("VINTF3/LVCMDQ0") && "\(error)".contains("CMDQ_ALLOC"))
    }
    // A stuck handshake through the logical name holds the global queue.
    try d.injectStuckHandshake(.lvcmdq(vintf: 1, lvcmdq: 0))
    let lq0 = try #require(d.globalVCMDQ(vintf: 1, lvcmdq: 0))
    d.write32(1, at: Off.page0(lq0) + Off.qconfig)
    d.step(cycles: 10)
    #expect(d.read32(at: Off.page0(lq0) + Off.qstatus) == 0, "enable never completes")
  }

  @Test func stuckHandshakeWithZeroLatency() throws {
    let d = CMDQVDevice(configuration: config(latency: 0))
    try d.injectStuckHandshake(.vintf(0))
    d.write32(1, at: Off.vintfConfig(0))
    d.step(cycles: 3)
    expectReg(d, Off.vintfStatus(0), 0)
  }

  @Test func forcedCommandError() throws {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue()
    try d.injectCommandError(code: 3, atCommand: 3, on: .vcmdq(q.global))
    q.submit(Array(repeating: .tlbiNHASID(asid: 1), count: 5))
    d.step(cycles: 3)
    #expect(q.cons == 2 | 3 << 24)
    #expect(d.commandErrors.first?.code == 3 && d.commandErrors.first?.command != nil)
    d.write32(1, at: q.page0 + Off.gerrorn)
    d.step(cycles: 3)
    #expect(q.cons == 5, "one-shot: re-execution succeeds")
  }

  @Test func forcedErrorOnTheSMMUQueue() throws {
    let d = CMDQVDevice(configuration: config(latency: 0))
    try d.injectCommandError(code: 1, atCommand: 1, on: .smmuCMDQ)
    d.memory.backRange(base: 0x5000_0000, length: 0x1000)
    d.smmu.write64(0x5000_0000 | 4, at: SOff.cmdqBase)
    d.smmu.write32(8, at: SOff.cr0)
    d.memory.storeCommand(.sync(), at: 0x5000_0000)
    d.smmu.write32(1, at: SOff.cmdqProd)
    d.step()
    #expect(d.smmu.read32(at: SOff.gerror) == 1)
  }

  @Test func fetchAbortRange() throws {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(base: 0x8000_0000, log2Size: 4)
    try d.injectFetchAbort(0x8000_0020..<0x8000_0030)
    q.submit(Array(repeating: .tlbiNHASID(asid: 1), count: 4))
    d.step(cycles: 2)
    #expect(q.cons == 2 | 2 << 24, "ABT at entry 2")
  }

  @Test func stuckRegisterBit() throws {
    let d = CMDQVDevice(configuration: config(latency: 0))
    try d.injectStuckBit(offset: Off.sidMatch(0, 0), bit: 0, value: false)
    d.write32(0x42 << 1 | 1, at: Off.sidMatch(0, 0))
    expectReg(d, Off.sidMatch(0, 0), 0x42 << 1, "ENABLE stuck at 0")
    try d.injectStuckBit(offset: Off.vintfConfig(1), bit: 17, value: true)
    expectReg(d, Off.vintfConfig(1), 1 << 17, "applied on read")
    d.write32(1, at: Off.vintfConfig(1))
    #expect(d.vintf(1).hypervisorOwned, "and on write")
    try d.injectStuckBit(offset: Off.page1(0) + 4, bit: 0, value: true)
    #expect(d.read64(at: Off.page1(0)) == 1 << 32, "upper half of a 64-bit register")
    try d.injectStuckBit(offset: SOff.cr0, bit: 3, value: true, aperture: .smmu)
    #expect(d.smmu.read32(at: SOff.cr0) == 8)
  }

  @Test func unknownTargetsThrowNamingTheTarget() {
    let d = CMDQVDevice()
    #expect(throws: FaultInjectionError.self) { try d.injectStuckHandshake(.vintf(4)) }
    #expect(throws: FaultInjectionError.self) { try d.injectStuckHandshake(.vcmdq(8)) }
    #expect(throws: FaultInjectionError.self) { try d.injectCommandError(code: 1, atCommand: 1, on: .vcmdq(99)) }
    #expect(throws: FaultInjectionError.self) { try d.injectCommandError(code: 1, atCommand: 0, on: .vcmdq(0)) }
    #expect(throws: FaultInjectionError.self) { try d.injectCommandError(code: 1, atCommand: .max, on: .vcmdq(0)) }
    #expect(throws: FaultInjectionError.self) { try d.injectCommandError(code: 1, atCommand: .min, on: .smmuCMDQ) }
    #expect(throws: FaultInjectionError.self) { try d.injectFetchAbort(5..<5) }
    #expect(throws: FaultInjectionError.self) { try d.injectStuckBit(offset: 0xC, bit: 0, value: true) }
    #expect(throws: FaultInjectionError.self) { try d.injectStuckBit(offset: Off.vintfConfig(5), bit: 0, value: true) }
    #expect(throws: FaultInjectionError.self) { try d.injectStuckBit(offset: 0, bit: 32, value: true) }
    do {
      try d.injectStuckHandshake(.vintf(9))
    } catch {
      #expect("\(error)".contains("VINTF9"))
    }
    #expect(d.injections.isEmpty, "failed injections are not recorded")
  }

  @Test func injectionsAreEvents() throws {
    let d = CMDQVDevice()
    let r = EventRecorder()
    d.eventSink = r
    try d.injectFetchAbort(0..<16)
    #expect(r.events.map(\.kind) == ["inject"])
  }
}
