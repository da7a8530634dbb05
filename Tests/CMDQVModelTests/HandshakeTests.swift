import CMDQVRegisters
import Testing

@testable import CMDQVModel

@Suite struct HandshakeTests {
  /// Polls STATUS before each of N steps: it changes exactly at step N.
  func expectHandshake(
    _ d: CMDQVDevice, config: Int, status: Int, value: UInt32, latency: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let before = d.read32(at: status) & 1
    d.write32(value, at: config)
    for i in 0..<latency {
      #expect(d.read32(at: status) & 1 == before, "changed early, after \(i) steps", sourceLocation: sourceLocation)
      d.step()
    }
    #expect(d.read32(at: status) & 1 == value & 1, "not complete after \(latency) steps", sourceLocation: sourceLocation)
  }

  @Test(arguments: [0, 1, 2, 7, 32])
  func cmdqvEnableAndDisableTakeExactlyNCycles(latency: Int) {
    let d = CMDQVDevice(configuration: config(latency: latency))
    expectHandshake(d, config: Off.config, status: Off.status, value: 0x0002_0082, latency: latency)
    expectHandshake(d, config: Off.config, status: Off.status, value: 0x0002_0083, latency: latency)
  }

  @Test(arguments: [0, 1, 3, 10])
  func vintfHandshake(latency: Int) {
    let d = CMDQVDevice(configuration: config(latency: latency))
    expectHandshake(d, config: Off.vintfConfig(2), status: Off.vintfStatus(2), value: 1 | 1 << 17, latency: latency)
    expectHandshake(d, config: Off.vintfConfig(2), status: Off.vintfStatus(2), value: 0, latency: latency)
  }

  @Test(arguments: [0, 1, 5])
  func vcmdqHandshake(latency: Int) {
    let d = CMDQVDevice(configuration: config(latency: latency))
    d.memory.backRange(base: 0x10_0000, length: 0x1000)
    d.write64(0x10_0000 | 8, at: Off.page1(1))
    expectHandshake(d, config: Off.page0(1) + Off.qconfig, status: Off.page0(1) + Off.qstatus, value: 1, latency: latency)
    expectHandshake(d, config: Off.page0(1) + Off.qconfig, status: Off.page0(1) + Off.qstatus, value: 0, latency: latency)
  }

  @Test func asymmetricLatencies() {
    var c = CMDQVConfiguration.default
    c.vintfLatency = HandshakeLatency(enable: 3, disable: 9)
    let d = CMDQVDevice(configuration: c)
    expectHandshake(d, config: Off.vintfConfig(0), status: Off.vintfStatus(0), value: 1, latency: 3)
    expectHandshake(d, config: Off.vintfConfig(0), status: Off.vintfStatus(0), value: 0, latency: 9)
  }

  @Test func writingBackTheOldValueCancelsAPendingTransition() {
    let d = CMDQVDevice(configuration: config(latency: 4))
    d.write32(1, at: Off.vintfConfig(0))
    d.step(cycles: 2)
    d.write32(0, at: Off.vintfConfig(0))
    d.step(cycles: 10)
    expectReg(d, Off.vintfStatus(0), 0)
  }

  @Test func enablingWithAnInvalidBaseRaisesInitError() {
    let d = CMDQVDevice(configuration: config(latency: 1))
    d.write64(0x10_0040 | 4, at: Off.page1(0))  // 16 entries = 256 B: 0x40 is not aligned
    d.write32(1, at: Off.page0(0) + Off.qconfig)
    d.step()
    expectReg(d, Off.page0(0) + Off.qstatus, 0, "CMDQ_EN_OK stays clear")
    expectReg(d, Off.page0(0) + Off.gerror, 4, "GERROR.CMDQ_INIT_ERR")
    #expect(d.interruptCount == 1)
    d.write32(4, at: Off.page0(0) + Off.gerrorn)
    d.write32(0, at: Off.page0(0) + Off.qconfig)
    d.step()
    d.write64(0x10_0100 | 4, at: Off.page1(0))
    d.write32(1, at: Off.page0(0) + Off.qconfig)
    d.step()
    expectReg(d, Off.page0(0) + Off.qstatus, 1)
    d.write64(0, at: Off.page1(1))
    d.write32(1, at: Off.page0(1) + Off.qconfig)
    d.step()
    expectReg(d, Off.page0(1) + Off.gerror, 4, "BASE = 0 is invalid too")
  }

  @Test func smmuCR0Handshake() {
    let d = CMDQVDevice(configuration: config(latency: 3))
    #expect(d.smmu.read32(at: SOff.idr1) == 19 << 21)
    d.smmu.write32(0xFFFF_FFFF, at: SOff.cr0)
    #expect(d.smmu.read32(at: SOff.cr0) == 0xD)
    d.step(cycles: 2)
    #expect(d.smmu.read32(at: SOff.cr0ack) == 0)
    d.step()
    #expect(d.smmu.read32(at: SOff.cr0ack) == 0xD)
  }

  @Test func delayClockAndRunUntil() {
    var c = config(latency: 250)
    c.cyclesPerMicrosecond = 100
    let d = CMDQVDevice(configuration: c)
    let clock: any DelayClock = d
    d.write32(1, at: Off.vintfConfig(0))
    clock.delay(microseconds: 2)
    #expect(clock.currentCycle == 200)
    expectReg(d, Off.vintfStatus(0), 0)
    clock.delay(microseconds: 1)
    expectReg(d, Off.vintfStatus(0), 1)
    d.write32(0, at: Off.vintfConfig(0))
    #expect(!d.run(until: { $0.read32(at: Off.vintfStatus(0)) & 1 == 0 }, maxCycles: 249))
    #expect(d.run(until: { $0.read32(at: Off.vintfStatus(0)) & 1 == 0 }, maxCycles: 1))
  }

  @Test func nothingChangesWithoutAStep() {
    let d = CMDQVDevice(configuration: config(latency: 1))
    let q = d.makeQueue()
    q.submit([.tlbiNHASID(asid: 1)])
    #expect(q.cons == 0)
    #expect(d.executedCommands.isEmpty)
    d.step()
    #expect(q.cons == 1)
  }
}
