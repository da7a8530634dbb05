import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import Testing

@testable import IOMMUFD

/// The kernel's own sequences break no rule: false positives are as bad as misses.
@Suite struct RuleKernelSequenceTests {
  @Test(arguments: [CMDQVConfiguration.default, .qemuGuest])
  func bootRaisesNoViolation(configuration: CMDQVConfiguration) throws {
    let system = try CMDQVSystem(configuration: configuration)
    system.expectNoViolations()
    #expect(system.device.faults.isEmpty)
  }

  /// The whole VMM flow, including a guest command error, its vEVENT and
  /// the guest's skip + acknowledgement, host commands on VINTF0, and the
  /// teardown in dependency order.
  @Test func wholeVMMFlowRaisesNoViolation() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    try vm.addVDevice(virtualStreamID: 0x10)
    try vm.addEventQueue()
    let q0 = try vm.addQueue()
    let q1 = try vm.addQueue(log2Size: 3)
    try q0.enable()
    try q1.enable()
    try q0.submit([.tlbiNHASID(asid: 1), .atcInv(streamID: 0x10)])
    // Wrap q1's 8-entry ring a few times.
    for asid in 0..<10 { try q1.submit([.tlbiNHASID(asid: UInt16(asid)), .tlbiNHVA(asid: 1, address: 0x1000)]) }
    #expect(throws: GuestQueueError.self) { try q1.submit([.cfgiSTE(streamID: 1), .tlbiNHASID(asid: 9)]) }
    #expect(try vm.readEvents().count == 1)
    q1.acknowledgeError()  // rewrites the entry at CONS while CMDQ_ERR stalls the queue
    try q1.waitUntilConsumed()
    try system.cmdqv.issue([.tlbiNHASID(asid: 7), .cfgiSTE(streamID: 3)], cpu: 0)
    try system.cmdqv.issue([.tlbiNHASID(asid: 8)], cpu: 1)
    try q1.disable()
    try vm.tearDown()
    system.expectNoViolations()
  }

  /// A queue destroyed while its error is still pending: the kernel's deinit
  /// disables, flushes, zeroes and acknowledges before the unmap.
  @Test func destroyingAFailedGuestQueueRaisesNoViolation() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let q0 = try vm.addQueue()
    try q0.enable()
    #expect(throws: GuestQueueError.self) { try q0.submit([.cfgiSTE(streamID: 1)]) }
    try vm.tearDown()
    #expect(system.cmdqv.log.contains { $0.contains("uncleared error detected, resetting") })
    system.expectNoViolations()
  }

  /// A guest kernel (HYP_OWN wired to 0 on its VINTF0) handles an error on
  /// its own LVCMDQ: skip + acknowledge is the kernel's ISR, not a host
  /// touching a guest's queue.
  @Test func guestKernelErrorRecoveryRaisesNoViolation() throws {
    let system = try CMDQVSystem(boot: false)
    try system.device.injectStuckBit(offset: 0x1000, bit: 17, value: false)
    try system.boot()
    #expect(system.cmdqv.vintf0?.hypervisorOwned == false)
    try system.device.injectCommandError(code: 1, atCommand: 1, on: .vcmdq(1))
    try system.cmdqv.issue([.tlbiNHASID(asid: 1)], cpu: 1)
    #expect(system.device.commandErrors.count == 1)
    system.expectNoViolations()
  }

  /// VINTF0 deinit, the kernel's reset again, and an error on a kernel
  /// queue handled by the ISR (skip + acknowledge).
  @Test func resetAndKernelErrorRecoveryRaiseNoViolation() throws {
    let system = try CMDQVSystem()
    let vintf0 = try #require(system.cmdqv.vintf0)
    system.cmdqv.vintfHWDeinit(vintf0)
    try system.cmdqv.hwReset()
    try system.device.injectCommandError(code: 1, atCommand: 1, on: .vcmdq(1))
    try system.cmdqv.issue([.tlbiNHASID(asid: 1)], cpu: 1)
    #expect(system.device.commandErrors.count == 1)
    try system.smmu.issue([.cfgiSTE(streamID: 2)], sync: true)
    system.cmdqv.vintfHWDeinit(vintf0)
    system.expectNoViolations()
  }
}

/// A wait on something the model will never do ends in ETIMEDOUT after the
/// driver's one-second budget, with the model's diagnosis in the message.
/// The budget is model time: once the hardware is quiescent the poll skips
/// to its deadline, so the default 100 cycles/µs costs no more than 1.
@Suite struct StallDiagnosisTests {
  static func clock(_ cyclesPerMicrosecond: UInt64) -> CMDQVConfiguration {
    var c = CMDQVConfiguration.default
    c.cyclesPerMicrosecond = cyclesPerMicrosecond
    return c
  }

  @Test(arguments: [1, 100] as [UInt64])
  func stalledKernelQueueNamesTheMissingAcknowledgement(cyclesPerMicrosecond: UInt64) throws {
    let system = try CMDQVSystem(configuration: Self.clock(cyclesPerMicrosecond))
    system.deliversInterrupts = false  // the ISR never runs: nobody writes GERRORN
    try system.device.injectCommandError(code: 1, atCommand: 1, on: .vcmdq(1))
    let start = system.device.cycle
    var message = ""
    do {
      try system.cmdqv.issue([.tlbiNHASID(asid: 1)], cpu: 1)
      Issue.record("expected ETIMEDOUT")
    } catch {
      #expect(error == .etimedout)
      message = error.message
    }
    let since = try #require(system.device.diagnoseStalls().first.flatMap { Self.cycle(in: $0) })
    #expect(since > start && since < start + 10 * cyclesPerMicrosecond, "the error is raised within a few cycles of the PROD write")
    #expect(message.contains("model: VCMDQ1 stalled since cycle \(since): CMDQ_ERR pending (CONS.ERR=1 at index 0), GERRORN not written"))
    // The poll gave up after exactly its budget of model time.
    let budget = RuleBook.pollBudgetMicroseconds * system.device.cyclesPerMicrosecond
    #expect(system.device.cycle >= start + budget && system.device.cycle <= start + budget + 10 * cyclesPerMicrosecond)
  }

  @Test(arguments: [1, 100] as [UInt64])
  func stuckHandshakeNamesTheHandshake(cyclesPerMicrosecond: UInt64) throws {
    let system = try CMDQVSystem(configuration: Self.clock(cyclesPerMicrosecond))
    try system.device.injectStuckHandshake(.vintf(1))
    let start = system.device.cycle
    var message = ""
    do {
      _ = try GuestVM(system: system, physicalStreamID: 0x100)
      Issue.record("expected ETIMEDOUT")
    } catch {
      #expect(error == .etimedout)
      message = error.message
    }
    #expect(message.contains("VINTF1: failed to enable"))
    #expect(message.contains("model: VINTF1 enable pending since cycle "))
    #expect(message.contains("VINTF1_STATUS.ENABLE_OK still reads 0 (handshake stuck by an injected fault)"))
    let budget = RuleBook.pollBudgetMicroseconds * system.device.cyclesPerMicrosecond
    #expect(system.device.cycle >= start + budget && system.device.cycle <= start + budget + 100 * cyclesPerMicrosecond)
    // The kernel's unwind (disable after its own timeout) is not a violation.
    system.expectNoViolations()
  }

  /// A queue enabled without BASE never reports CMDQ_EN_OK: the timeout
  /// names the failed enable and the rule the driver broke.
  @Test func failedEnableNamesTheRuleThatExplainsIt() throws {
    let system = try CMDQVSystem()
    try system.resetVINTF0()
    let vintf0 = try #require(system.cmdqv.vintf0)
    try system.cmdqv.writeConfig(
      config: Reg.vintfConfig(0), status: Reg.vintfStatus(0), value: 1 << 17 | 1, what: "VINTF0: ")
    system.cmdqv.mapLVCMDQ(try #require(vintf0.lvcmdqs[0]))
    do {
      try system.cmdqv.writeConfig(
        config: Reg.page0(0, 0, Reg.config), status: Reg.page0(0, 0, Reg.status), value: 1, what: "VCMDQ0: ")
      Issue.record("expected ETIMEDOUT")
    } catch {
      #expect(error == .etimedout)
      // VINTF0's ISR acknowledged the CMDQ_INIT_ERR; the enable stays failed.
      #expect(error.message.contains("model: VCMDQ0 enable requested at cycle "))
      #expect(error.message.contains("failed: CMDQ_EN_OK stays 0 (BASE 0x0 is invalid: CMDQ_INIT_ERR)"))
      #expect(error.message.contains("last rule violation: VCMDQ-EN-INVALID-BASE at cycle "))
    }
    system.expectViolation(.vcmdqEnableInvalidBase, count: 1)
  }

  /// Without the ISR the CMDQ_INIT_ERR stays pending and is named too.
  @Test func unacknowledgedInitErrorIsNamed() throws {
    let system = try CMDQVSystem()
    system.deliversInterrupts = false
    let offset = Reg.page0(0, 1, Reg.config)
    system.device.write32(0, at: offset)
    system.settle { $0.read32(at: offset + 4) & 1 == 0 }
    system.device.write64(0, at: Reg.page1(0, 1, Reg.base))
    system.device.write32(1, at: offset)
    system.step(cycles: 10)
    let lines = system.device.diagnoseStalls()
    #expect(lines.contains { $0.hasPrefix("VCMDQ1 error pending since cycle ") && $0.hasSuffix("CMDQ_INIT_ERR (enabled with BASE 0x0), GERRORN not written") })
    system.expectViolation(.vcmdqEnableInvalidBase, count: 1)
  }

  @Test func idleDeviceHasNoDiagnosis() throws {
    let system = try CMDQVSystem()
    #expect(system.device.diagnoseStalls().isEmpty)
    #expect(system.clock.stallDiagnosis == nil)
    #expect(system.device.hardwareIsQuiescent)
  }

  /// Skipping quiescent time is the same as stepping it; a device with work
  /// (a handshake in flight, a queue with commands) is not quiescent.
  @Test func quiescentTimePassesLikeSteppedTime() throws {
    let a = try CMDQVSystem()
    let b = try CMDQVSystem()
    for system in [a, b] {
      try system.device.injectStuckHandshake(.vintf(2))
      system.device.write32(1, at: Reg.vintfConfig(2))
    }
    #expect(a.device.hardwareIsQuiescent)
    a.device.passQuiescentTime(cycles: 5000)
    b.device.step(cycles: 5000)
    #expect(a.device.cycle == b.device.cycle)
    #expect(a.device.vintf(2) == b.device.vintf(2))
    #expect(a.device.diagnoseStalls() == b.device.diagnoseStalls())
    a.device.write32(1, at: Reg.vintfConfig(3))
    #expect(!a.device.hardwareIsQuiescent, "VINTF3's enable is in flight")
  }

  static func cycle(in line: String) -> UInt64? {
    guard let r = line.range(of: "since cycle ") else { return nil }
    return UInt64(line[r.upperBound...].prefix { $0.isNumber })
  }
}
