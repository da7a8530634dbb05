import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
@testable import IOMMUFD
import Testing

/// GET_HW_INFO through the Tegra driver (`arm_smmu_hw_info` →
/// `tegra241_cmdqv_hw_info`).
@Suite struct TegraHWInfoTests {
  @Test(arguments: [(2, 3, 4), (1, 5, 2), (0, 1, 0)])
  func tegraTypeReportsPerVINTFCounts(log2VINTFs: Int, log2VCMDQs: Int, log2SIDs: Int) throws {
    var configuration = CMDQVConfiguration.default
    configuration.log2VINTFs = log2VINTFs
    configuration.log2VCMDQs = log2VCMDQs
    configuration.log2SIDsPerVINTF = log2SIDs
    let system = try CMDQVSystem(configuration: configuration)
    let device = try system.context.bindDevice(streamIDs: [0x10])
    let info = try system.context.getHWInfo(device: device, type: 3)
    #expect(info.type == 3)
    // {u32 flags = 0; u8 version; u8 log2vcmdqs (per VINTF); u8 log2vsids; u8 reserved}.
    let perVINTF = log2VCMDQs - log2VINTFs
    #expect(info.data == [0, 0, 0, 0, configuration.version, UInt8(perVINTF), UInt8(log2SIDs), 0])
  }

  @Test func defaultTypeIsARMSMMUv3AndUnknownTypesAreEOPNOTSUPP() throws {
    let system = try CMDQVSystem()
    let device = try system.context.bindDevice(streamIDs: [0x10])
    #expect(try system.context.getHWInfo(device: device).type == 2)
    #expect(try system.context.getHWInfo(device: device, type: 2).type == 2)
    for type: UInt32 in [1, 4, 0xFFFF_FFFF] {
      expectErrno(.eopnotsupp) { try system.context.getHWInfo(device: device, type: type) }
    }
    expectErrno(.enoent) { try system.context.getHWInfo(device: 999, type: 3) }
  }
}

/// mmap of a VINTF's page0 (`iommufd_fops_mmap`, main.c;
/// `tegra241_cmdqv_init_vintf_user`, tegra241-cmdqv.c; v6.17).
@Suite struct TegraMMapTests {
  @Test func mmapChecks() throws {
    let system = try CMDQVSystem()
    let prep = try VMPrep(system, streamID: 0x100)
    let allocation = try prep.allocVIOMMU(system)
    let offset = try #require(allocation.tegra241?.vintfMMapOffset)
    let ctx = system.context
    expectErrno(.enxio) { try ctx.mmap(offset: offset + 0x1000, length: 0x1000) }
    expectErrno(.enxio) { try ctx.mmap(offset: offset, length: 0x8000) }
    expectErrno(.enxio) { try ctx.mmap(offset: offset, length: 0x20000) }
    expectErrno(.enxio) { try ctx.mmap(offset: offset + 0x10000, length: 0x10000) }
    expectErrno(.einval) { try ctx.mmap(offset: offset, length: 0x10000, shared: false) }
    expectErrno(.eperm) { try ctx.mmap(offset: offset, length: 0x10000, prot: [.read, .exec]) }
    #expect(ctx.liveMappings.isEmpty)
    let mapping = try ctx.mmap(offset: offset, length: 0x10000)
    // The vIOMMU cannot go while mapped.
    expectErrno(.ebusy) { try ctx.destroy(allocation.id) }
    #expect(system.device.vintf(1).enabled)
    mapping.munmap()
    try ctx.destroy(allocation.id)
    // The region went with the vIOMMU.
    expectErrno(.enxio) { try ctx.mmap(offset: offset, length: 0x10000) }
  }

  @Test func theWindowReachesOnlyItsOwnPage0() throws {
    let system = try CMDQVSystem()
    _ = try GuestVM(system: system, physicalStreamID: 0x100)
    let vm = try GuestVM(system: system, physicalStreamID: 0x101)
    #expect(vm.vintf == 2)
    try vm.addQueue()
    try vm.addQueue()
    let log = WriteLog(system.device)
    // LVCMDQ1 CONFIG of VINTF2 (logical page0 + 0x80 + 0x8).
    vm.window.write32(1, at: 0x88, from: .host)
    #expect(log.writes.map(\.name) == ["VINTF2_LVCMDQ1_CONFIG"])
    #expect(log.writes.first?.initiator == .guest(vintf: 2))
    system.step(cycles: 10)
    #expect(system.device.vcmdq(5).enabled)
    log.clear()
    // Beyond 64 KiB (page1 with BASE, the next VINTF): rejected, no access.
    let rejected = vm.window.rejectedAccesses
    vm.window.write64(0xDEAD_0000, at: 0x10000, from: .host)
    vm.window.write32(1, at: 0xFFFE, from: .host)
    #expect(vm.window.read32(at: 0x10000, from: .host) == 0)
    vm.window.write32(1, at: -4, from: .host)
    #expect(vm.window.rejectedAccesses == rejected + 4)
    #expect(log.writes.isEmpty)
    #expect(system.device.vcmdq(4).base & ~0x1F == vm.layout.ramPA + vm.layout.queueAddress(0) - vm.layout.ramIPA)
    // After munmap the window is dead.
    vm.mapping.munmap()
    vm.window.write32(0, at: 0x88, from: .host)
    #expect(log.writes.isEmpty)
    #expect(system.device.vcmdq(5).enabled)
  }
}

/// `tegra241_cmdqv_isr` as delivered by CMDQVSystem on udelay.
@Suite struct TegraInterruptTests {
  @Test func hostQueueErrorIsSkippedAndAcknowledged() throws {
    let system = try CMDQVSystem()
    system.device.clearExecutedCommands()
    try system.device.injectCommandError(code: 1, atCommand: 1, on: .vcmdq(0))
    let log = WriteLog(system.device)
    try system.cmdqv.issue([.tlbiNHASID(asid: 1), .tlbiNHASID(asid: 2)], cpu: 0)
    // The faulting entry was rewritten to CMD_SYNC; the queue resumed.
    let executed = system.device.executedCommands
    #expect(executed.map(\.opcode) == [.sync, .tlbiNHASID, .sync])
    #expect(executed.allSatisfy { $0.source == .vcmdq(index: 0, vintf: 0, lvcmdq: 0) })
    #expect(executed[1].asid == 2)
    #expect(!system.device.vcmdq(0).errorPending)
    #expect(log.writes.filter { $0.name == "VINTF0_LVCMDQ0_GERRORN" }.count == 1)
    #expect(system.cmdqv.log.contains { $0.hasPrefix("unexpected error reported. vintf_map: 0x1") })
  }

  @Test func illegalOpcodeOnTheHostPathIsSkipped() throws {
    let system = try CMDQVSystem()
    system.device.clearExecutedCommands()
    try system.cmdqv.issue([.raw(opcode: 0x7F), .tlbiNHASID(asid: 3)], cpu: 1)
    let executed = system.device.executedCommands
    #expect(executed.map(\.opcode) == [.sync, .tlbiNHASID, .sync])
    #expect(executed.allSatisfy { $0.source == .vcmdq(index: 1, vintf: 0, lvcmdq: 1) })
    #expect(!system.device.vcmdq(1).errorPending)
    // The queue still works afterwards.
    try system.cmdqv.issue([.tlbiNHAll(vmid: 0)], cpu: 1)
  }

  @Test func userVINTFErrorIsOneVEventAndTheGuestAcks() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    try vm.addEventQueue()
    let q0 = try vm.addQueue()
    try q0.enable()
    let log = WriteLog(system.device)
    #expect(throws: GuestQueueError.self) { try q0.submit([.cfgiSTE(streamID: 1)]) }
    system.step(cycles: 50)
    let events = try vm.readEvents()
    var expected = [UInt8](repeating: 0, count: 16)
    expected[0] = 1
    #expect(events.map(\.kind) == [.event(data: expected)])
    // The host never acknowledges a user VINTF's queue.
    #expect(!log.writes.contains { $0.name.hasSuffix("GERRORN") })
    #expect(q0.pendingError() != nil)
    // The guest skips the command and acks through its window.
    q0.acknowledgeError()
    try q0.waitUntilConsumed()
    #expect(log.writes.filter { $0.name == "VINTF1_LVCMDQ0_GERRORN" }.map(\.initiator) == [.guest(vintf: 1)])
    try q0.submit([.tlbiNHASID(asid: 1)])
    #expect(try vm.readEvents().isEmpty)
    try vm.tearDown()
    #expect(system.context.close().isClean)
  }

  @Test func withoutAVEventQueueTheReportIsDropped() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let q0 = try vm.addQueue()
    try q0.enable()
    #expect(throws: GuestQueueError.self) { try q0.submit([.cfgiSTE(streamID: 1)]) }
    system.step(cycles: 50)
    #expect(system.context.warnings.isEmpty)
    #expect(system.cmdqv.log.contains { $0.hasPrefix("unexpected error reported. vintf_map: 0x2") })
    // A vEVENTQ created later does not see the dropped report.
    try vm.addEventQueue()
    #expect(try vm.readEvents().isEmpty)
    q0.acknowledgeError()
    try q0.waitUntilConsumed()
  }
}

/// `tegra241_cmdqv_get_cmdq`: which queue a host command goes to.
@Suite struct TegraRoutingTests {
  static func source(_ system: CMDQVSystem, cpu: Int, _ command: SMMUCommand = .tlbiNHASID(asid: 1)) throws
    -> CommandQueueID?
  {
    system.device.clearExecutedCommands()
    try system.cmdqv.issue([command], cpu: cpu)
    return system.device.executedCommands.first?.source
  }

  @Test(arguments: [0, 1, 2, 3, 7])
  func cpuModuloLVCMDQCount(cpu: Int) throws {
    let system = try CMDQVSystem()
    let l = cpu % 2
    #expect(try Self.source(system, cpu: cpu) == .vcmdq(index: l, vintf: 0, lvcmdq: l))
  }

  @Test func bypassGoesToTheMainQueue() throws {
    let system = try CMDQVSystem()
    system.cmdqv.bypassVCMDQ = true
    #expect(try Self.source(system, cpu: 1) == .smmuCMDQ)
  }

  @Test func aDisabledLVCMDQOrVINTF0GoesToTheMainQueue() throws {
    let system = try CMDQVSystem()
    let vintf0 = try #require(system.cmdqv.vintf0)
    system.cmdqv.vcmdqHWDeinit(try #require(vintf0.lvcmdqs[1]))
    #expect(try Self.source(system, cpu: 1) == .smmuCMDQ)
    #expect(try Self.source(system, cpu: 0) == .vcmdq(index: 0, vintf: 0, lvcmdq: 0))
    system.cmdqv.vintfHWDeinit(vintf0)
    #expect(try Self.source(system, cpu: 0) == .smmuCMDQ)
    // hw_reset brings both back.
    try system.cmdqv.hwReset()
    #expect(try Self.source(system, cpu: 1) == .vcmdq(index: 1, vintf: 0, lvcmdq: 1))
    system.expectNoViolations()
  }

  @Test func guestKernelFilterWhenHypOwnReadsZero() throws {
    // A guest kernel's VINTF0: HYP_OWN is wired to zero (stuck bit 17).
    let system = try CMDQVSystem(boot: false)
    try system.device.injectStuckBit(offset: 0x1000, bit: 17, value: false)
    try system.boot()
    #expect(system.cmdqv.vintf0?.hypervisorOwned == false)
    #expect(try Self.source(system, cpu: 1, .tlbiNHASID(asid: 1)) == .vcmdq(index: 1, vintf: 0, lvcmdq: 1))
    #expect(try Self.source(system, cpu: 1, .atcInv(streamID: 3)) == .vcmdq(index: 1, vintf: 0, lvcmdq: 1))
    // Anything else goes to the main queue, with its CMD_SYNC.
    system.device.clearExecutedCommands()
    try system.cmdqv.issue([.cfgiSTE(streamID: 3)], cpu: 1)
    #expect(system.device.executedCommands.map(\.source) == [.smmuCMDQ, .smmuCMDQ])
    #expect(system.device.executedCommands.map(\.opcode) == [.cfgiSTE, .sync])
  }
}

/// The ISR's register reads, in order (`tegra241_cmdqv_isr`, v7.x).
@Suite struct TegraISRAccessTests {
  @Test func userVINTFErrorReadsInTheKernelsOrder() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    try vm.addEventQueue()
    let q0 = try vm.addQueue()
    try q0.enable()
    system.deliversInterrupts = false
    try q0.submit([.cfgiSTE(streamID: 1)], wait: false)
    system.step(cycles: 50)
    var accesses: [String] = []
    system.device.onEvent = { event in
      if case .mmio(let a) = event.payload, a.initiator == .host {
        accesses.append("\(a.direction == .write ? "W" : "R") \(a.register?.accessName ?? "0x\(String(a.offset, radix: 16))")")
      }
    }
    system.cmdqv.handleInterrupt()
    // VINTF_ERR_MAP as two readl, high word first; CMDQ_ERR_MAP 3..0 (log
    // only); then both 64-bit LVCMDQ maps of VINTF1 and nothing else: no ack.
    #expect(
      accesses == [
        "R CMDQV_VI_ERR_MAP[63:32]", "R CMDQV_VI_ERR_MAP", "R CMDQV_CMDQ_ERR_MAP3", "R CMDQV_CMDQ_ERR_MAP2",
        "R CMDQV_CMDQ_ERR_MAP1", "R CMDQV_CMDQ_ERR_MAP0", "R VINTF1_LVCMDQ_ERR_MAP0", "R VINTF1_LVCMDQ_ERR_MAP1",
      ])
  }
}

/// Failure paths of `tegra241_vintf_hw_init` at reset.
@Suite struct TegraResetFailureTests {
  @Test func vcmdqEnableTimeoutUnwindsVINTF0() throws {
    var configuration = CMDQVConfiguration.default
    configuration.cyclesPerMicrosecond = 1
    let system = try CMDQVSystem(configuration: configuration, boot: false)
    try system.device.injectStuckHandshake(.vcmdq(1))
    expectErrno(.etimedout) { try system.boot() }
    let vintf0 = try #require(system.cmdqv.vintf0)
    // tegra241_vcmdq_hw_init logs the enable failure with STATUS as last
    // polled, then GERRORN/GERROR/CONS; vintf_hw_init then deinits VINTF0.
    #expect(system.cmdqv.log.first == "VINTF0: VCMDQ1/LVCMDQ1: failed to enable, STATUS=0x00000000")
    #expect(system.cmdqv.log.dropFirst().first?.hasPrefix("VINTF0: VCMDQ1/LVCMDQ1: GERRORN=") == true)
    // Cached flags mirror STATUS as last read.
    #expect(vintf0.lvcmdqs[1]?.enabled == false)
    #expect(vintf0.lvcmdqs[0]?.enabled == false)
    #expect(!vintf0.enabled)
    #expect(!system.device.vintf(0).enabled)
    #expect(allocatedVCMDQs(system).isEmpty)
    system.expectNoViolations()
    // Host commands fall back to the SMMU main queue.
    system.device.clearExecutedCommands()
    try system.cmdqv.issue([.tlbiNHASID(asid: 1)], cpu: 1)
    #expect(system.device.executedCommands.map(\.source) == [.smmuCMDQ, .smmuCMDQ])
  }
}

/// Host queues that wrap: IDR1.CMDQS = 4 gives 16-entry rings.
@Suite struct TegraSmallQueueTests {
  static func system() throws -> CMDQVSystem {
    var configuration = CMDQVConfiguration.default
    configuration.smmuCMDQS = 4
    return try CMDQVSystem(configuration: configuration)
  }

  @Test(arguments: [0, 1])
  func manyCommandsWrapTheRing(cpu: Int) throws {
    let system = try Self.system()
    system.device.clearExecutedCommands()
    let commands = (0..<100).map { SMMUCommand.tlbiNHASID(asid: UInt16($0)) }
    for _ in 0..<3 { try system.cmdqv.issue(commands, cpu: cpu) }
    let executed = system.device.executedCommands.filter { $0.opcode == .tlbiNHASID }
    #expect(executed.map(\.asid) == Array(repeating: (0..<100).map { UInt16($0) }, count: 3).flatMap { $0 })
    #expect(executed.allSatisfy { $0.source == .vcmdq(index: cpu, vintf: 0, lvcmdq: cpu) })
  }

  @Test(arguments: [1, 15, 16, 17, 33])
  func anErrorAnywhereInTheRingIsSkipped(at k: Int) throws {
    let system = try Self.system()
    // Move the ring off index 0 first.
    try system.cmdqv.issue((0..<5).map { SMMUCommand.tlbiNHASID(asid: UInt16($0)) }, cpu: 0)
    system.device.clearExecutedCommands()
    try system.device.injectCommandError(code: 1, atCommand: k, on: .vcmdq(0))
    let commands = (0..<40).map { SMMUCommand.tlbiNHASID(asid: UInt16($0)) }
    try system.cmdqv.issue(commands, cpu: 0)
    let asids = system.device.executedCommands.filter { $0.opcode == .tlbiNHASID }.map(\.asid)
    // The k-th consumed command was replaced by a CMD_SYNC.
    let consumed = system.device.executedCommands
    #expect(consumed.count >= 40)
    #expect(asids.count == 39)
    #expect(!system.device.vcmdq(0).errorPending)
  }
}

/// `__arm_smmu_cmdq_skip_err` builds the replacement CMD_SYNC with
/// `arm_smmu_cmdq_build_sync_cmd`: CS=SEV on the main queue (no MSI), and
/// CS=NONE only on a busy-polled VCMDQ.
@Suite struct TegraSkipErrorSyncTests {
  @Test func replacementSyncOnTheMainQueueIsSEV() throws {
    let system = try CMDQVSystem()
    system.cmdqv.bypassVCMDQ = true
    system.device.clearExecutedCommands()
    try system.device.injectCommandError(code: 1, atCommand: 1, on: .smmuCMDQ)
    try system.cmdqv.issue([.tlbiNHASID(asid: 1), .tlbiNHASID(asid: 2)])
    let executed = system.device.executedCommands
    #expect(executed.map(\.opcode) == [.sync, .tlbiNHASID, .sync])
    #expect(executed.allSatisfy { $0.source == .smmuCMDQ })
    #expect(executed.first?.command.syncCompletionSignal == 2)
  }

  @Test func replacementSyncOnAVCMDQIsNone() throws {
    let system = try CMDQVSystem()
    system.device.clearExecutedCommands()
    try system.device.injectCommandError(code: 1, atCommand: 1, on: .vcmdq(1))
    try system.cmdqv.issue([.tlbiNHASID(asid: 1)], cpu: 1)
    let executed = system.device.executedCommands
    #expect(executed.map(\.opcode) == [.sync, .sync])
    #expect(executed.allSatisfy { $0.command.syncCompletionSignal == 0 })
  }
}
