import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import Testing

@testable import IOMMUFD

/// Every rule of the book, fired by a realistic driver misstep (a raw MMIO
/// write, a guest window access, or a misbehaving copy of a kernel
/// sequence): exactly that rule fires, at the offending access.
@Suite struct HandshakeRuleTests {
  @Test func cmdqvRetoggledBeforeStatusFollowed() throws {
    let system = try CMDQVSystem()
    let d = system.device
    // hw_reset without its polls: CONFIG &= ~EN, then CONFIG |= EN at once.
    let config = d.read32(at: Reg.cmdqvConfig)
    d.write32(config & ~1, at: Reg.cmdqvConfig)
    d.write32(config | 1, at: Reg.cmdqvConfig)
    system.expectFired(.cmdqvRetoggle, atOffset: Reg.cmdqvConfig)
  }

  @Test func vintfRetoggledBeforeStatusFollowed() throws {
    let system = try CMDQVSystem()
    system.device.write32(1, at: Reg.vintfConfig(1))
    system.device.write32(0, at: Reg.vintfConfig(1))
    system.expectFired(.vintfRetoggle, atOffset: Reg.vintfConfig(1))
  }

  @Test func vcmdqRetoggledBeforeStatusFollowed() throws {
    let system = try CMDQVSystem()
    let offset = Reg.page0(0, 1, Reg.config)
    system.device.write32(0, at: offset)
    system.device.write32(1, at: offset)
    system.expectFired(.vcmdqRetoggle, atOffset: offset)
  }

  @Test func smmuCR0RewrittenBeforeCR0ACK() throws {
    let system = try CMDQVSystem()
    system.device.smmu.write32(0, at: Reg.smmuCR0)
    system.device.smmu.write32(0x8, at: Reg.smmuCR0)
    system.expectFired(.smmuCR0Retoggle, atOffset: Reg.smmuCR0, map: SMMUv3Map.name)
  }

  @Test func vintfEnabledWhileCMDQVIsDisabled() throws {
    let system = try CMDQVSystem()
    let d = system.device
    // A reset that brings VINTF1 up between CMDQV's disable and enable.
    d.write32(d.read32(at: Reg.cmdqvConfig) & ~1, at: Reg.cmdqvConfig)
    system.settle { $0.read32(at: Reg.cmdqvStatus) & 1 == 0 }
    d.write32(1, at: Reg.vintfConfig(1))
    system.expectFired(.vintfEnableCMDQVOff, atOffset: Reg.vintfConfig(1))
  }

  @Test func vcmdqEnabledWhileItsVINTFIsDisabled() throws {
    let system = try CMDQVSystem()
    try system.resetVINTF0()
    let d = system.device
    let q0 = try #require(system.cmdqv.vintf0?.lvcmdqs[0])
    // Set-up (itself a misstep, not judged here): LVCMDQ0 mapped with BASE on a disabled VINTF0.
    d.rulePolicies[.lvcmdqMapVINTFDisabled] = .ignore
    system.cmdqv.mapLVCMDQ(q0)
    d.write64(q0.queueBase, at: Reg.page1(0, 0, Reg.base))
    d.rulePolicies = RulePolicies()
    // The misstep: enable the queue before the VINTF.
    d.write32(1, at: Reg.page0(0, 0, Reg.config))
    system.expectFired(.vcmdqEnableVINTFOff, atOffset: Reg.page0(0, 0, Reg.config))
  }
}

@Suite struct VCMDQLifeCycleRuleTests {
  /// tegra241_vintf_hw_init with tegra241_vcmdq_hw_init before the map.
  @Test func vcmdqEnabledBeforeItIsMapped() throws {
    let system = try CMDQVSystem()
    try system.resetVINTF0()
    let d = system.device
    let vintf0 = try #require(system.cmdqv.vintf0)
    try system.cmdqv.writeConfig(
      config: Reg.vintfConfig(0), status: Reg.vintfStatus(0), value: 1 << 17 | 1, what: "VINTF0: ")
    let q0 = try #require(vintf0.lvcmdqs[0])
    d.write64(q0.queueBase, at: Reg.page1(0, 0, Reg.base))
    d.write32(1, at: Reg.page0(0, 0, Reg.config))
    system.expectFired(.vcmdqEnableUnmapped, atOffset: Reg.page0(0, 0, Reg.config))
  }

  /// A queue init that forgets BASE (zeroed by the deinit before it).
  @Test func vcmdqEnabledWithoutABase() throws {
    let system = try CMDQVSystem()
    try system.resetVINTF0()
    let vintf0 = try #require(system.cmdqv.vintf0)
    try system.cmdqv.writeConfig(
      config: Reg.vintfConfig(0), status: Reg.vintfStatus(0), value: 1 << 17 | 1, what: "VINTF0: ")
    system.cmdqv.mapLVCMDQ(try #require(vintf0.lvcmdqs[0]))
    system.device.write32(1, at: Reg.page0(0, 0, Reg.config))
    let v = system.expectFired(.vcmdqEnableInvalidBase, atOffset: Reg.page0(0, 0, Reg.config))
    #expect(v?.detail.contains("BASE 0x0") == true)
  }

  @Test func baseRewrittenWhileTheQueueRuns() throws {
    let system = try CMDQVSystem()
    let offset = Reg.page1(0, 0, Reg.base)
    system.device.write64(CMDQVSystem.dmaBase | 8, at: offset)
    system.expectFired(.vcmdqPage1WhileEnabled, atOffset: offset)
  }

  @Test func consIndexBaseWrittenWhileTheQueueRuns() throws {
    let system = try CMDQVSystem()
    let offset = Reg.page1(0, 1, Reg.consIndexBase)
    system.device.write64(0x1000, at: offset)
    system.expectFired(.vcmdqPage1WhileEnabled, atOffset: offset)
  }

  /// A guest "skips" a bad command by bumping CONS instead of rewriting it.
  @Test func guestWritesConsOfItsRunningQueue() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let q0 = try vm.addQueue()
    try q0.enable()
    system.expectNoViolations()
    vm.window.write32(1, at: Reg.cons, from: .guest(vintf: vm.vintf))
    system.expectFired(.vcmdqConsWhileEnabled, atOffset: Reg.page0(vm.vintf, 0, Reg.cons))
  }

  /// tegra241_vintf_hw_deinit that unmaps before tegra241_vcmdq_hw_deinit.
  @Test func unmappedWhileEnabled() throws {
    let system = try CMDQVSystem()
    system.cmdqv.unmapLVCMDQ(try #require(system.cmdqv.vintf0?.lvcmdqs[1]))
    system.expectFired(.vcmdqUnmapEnabled, atOffset: Reg.alloc(1))
  }

  /// A deinit that disables, flushes and acknowledges but does not zero the
  /// queue registers before the unmap.
  @Test func unmappedWithoutZeroingTheQueue() throws {
    let system = try CMDQVSystem()
    try system.cmdqv.writeConfig(
      config: Reg.page0(0, 1, Reg.config), status: Reg.page0(0, 1, Reg.status), value: 0, what: "VCMDQ1: ")
    try system.smmu.issue([], sync: true)
    system.cmdqv.unmapLVCMDQ(try #require(system.cmdqv.vintf0?.lvcmdqs[1]))
    let v = system.expectFired(.vcmdqUnmapNotReset, atOffset: Reg.alloc(1))
    #expect(v?.registers.contains("VCMDQ1_BASE") == true)
  }
}

@Suite struct AllocationRuleTests {
  /// Raw host writes map LVCMDQ1 of a VM's VINTF while LVCMDQ0 is unmapped.
  @Test func mapAboveAnUnmappedLVCMDQ() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let q = vm.vintf * 2 + 1
    system.device.write32(UInt32(vm.vintf) << 15 | 1 << 1 | 1, at: Reg.alloc(q))
    let v = system.expectFired(.lvcmdqMapAscending, atOffset: Reg.alloc(q))
    #expect(v?.initiator == .host)
  }

  /// A teardown that walks upwards: LVCMDQ0 deinitialised and unmapped first.
  @Test func unmapBelowAMappedLVCMDQ() throws {
    let system = try CMDQVSystem()
    let q0 = try #require(system.cmdqv.vintf0?.lvcmdqs[0])
    system.cmdqv.vcmdqHWDeinit(q0)
    system.expectNoViolations()
    system.cmdqv.unmapLVCMDQ(q0)
    system.expectFired(.lvcmdqUnmapDescending, atOffset: Reg.alloc(0))
  }

  /// tegra241_vintf_hw_init mapping before enabling the VINTF.
  @Test func mapWhileTheVINTFIsDisabled() throws {
    let system = try CMDQVSystem()
    try system.resetVINTF0()
    system.cmdqv.mapLVCMDQ(try #require(system.cmdqv.vintf0?.lvcmdqs[0]))
    system.expectFired(.lvcmdqMapVINTFDisabled, atOffset: Reg.alloc(0))
  }

  /// tegra241_vintf_hw_deinit without the unmaps.
  @Test func vintfDisabledWithMappedLVCMDQs() throws {
    let system = try CMDQVSystem()
    let vintf0 = try #require(system.cmdqv.vintf0)
    for lidx in [1, 0] { system.cmdqv.vcmdqHWDeinit(try #require(vintf0.lvcmdqs[lidx])) }
    system.expectNoViolations()
    system.device.write32(0, at: Reg.vintfConfig(0))
    let v = system.expectFired(.vintfDisableMapped, atOffset: Reg.vintfConfig(0))
    #expect(v?.registers.contains("CMDQV_CMDQ_ALLOC0") == true && v?.registers.contains("CMDQV_CMDQ_ALLOC1") == true)
  }

  @Test func mappedVCMDQMovedToAnotherVINTF() throws {
    let system = try CMDQVSystem()
    system.device.write32(1 << 15 | 1, at: Reg.alloc(0))
    system.expectFired(.allocReassignMapped, atOffset: Reg.alloc(0))
  }

  @Test func vmidRewrittenOnAnEnabledVINTF() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let offset = Reg.vintfConfig(vm.vintf)
    let config = system.device.read32(at: offset)
    system.device.write32(config ^ 0x2, at: offset)  // VMID bit 0 flipped, EN kept
    system.expectFired(.vintfReconfigEnabled, atOffset: offset)
  }
}

@Suite struct StreamIDRuleTests {
  func vmWithVDevice() throws -> (CMDQVSystem, GuestVM) {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    try vm.addVDevice(virtualStreamID: 0x10)
    system.expectNoViolations()
    return (system, vm)
  }

  /// A vdevice destroy that clears SID_REPLACE before SID_MATCH.
  @Test func replacementClearedWhileTheMatchIsLive() throws {
    let (system, vm) = try vmWithVDevice()
    system.device.write32(0, at: Reg.sidReplace(vm.vintf, 0))
    system.expectFired(.sidReplaceWhileMatched, atOffset: Reg.sidReplace(vm.vintf, 0))
  }

  /// A vdevice init that writes SID_MATCH before SID_REPLACE (on a slot
  /// whose old pair the destroy cleared).
  @Test func matchEnabledBeforeItsReplacement() throws {
    let (system, vm) = try vmWithVDevice()
    let d = system.device
    d.write32(0x21 << 1 | 1, at: Reg.sidMatch(vm.vintf, 1))
    d.write32(0x101, at: Reg.sidReplace(vm.vintf, 1))
    system.expectFired(.sidReplaceWhileMatched, atOffset: Reg.sidReplace(vm.vintf, 1))
  }

  @Test func liveMatchRetargeted() throws {
    let (system, vm) = try vmWithVDevice()
    system.device.write32(0x20 << 1 | 1, at: Reg.sidMatch(vm.vintf, 0))
    system.expectFired(.sidMatchRetargetLive, atOffset: Reg.sidMatch(vm.vintf, 0))
  }

  @Test func secondSlotForTheSameVirtualSID() throws {
    let (system, vm) = try vmWithVDevice()
    let d = system.device
    d.write32(0x101, at: Reg.sidReplace(vm.vintf, 1))
    d.write32(0x10 << 1 | 1, at: Reg.sidMatch(vm.vintf, 1))
    system.expectFired(.sidMatchDuplicate, atOffset: Reg.sidMatch(vm.vintf, 1))
  }
}

@Suite struct ErrorRuleTests {
  /// A guest queue stalled on an illegal command (no ack yet).
  func stalledGuestQueue() throws -> (CMDQVSystem, GuestVM, GuestLVCMDQ) {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    try vm.addEventQueue()
    let q0 = try vm.addQueue()
    try q0.enable()
    #expect(throws: GuestQueueError.self) { try q0.submit([.cfgiSTE(streamID: 1)]) }
    #expect(q0.pendingError() != nil)
    system.expectNoViolations()
    return (system, vm, q0)
  }

  @Test func acknowledgingAnErrorThatIsNotPending() throws {
    let system = try CMDQVSystem()
    let offset = Reg.page0(0, 0, Reg.gerrorn)
    system.device.write32(1, at: offset)
    let v = system.expectFired(.errorAckNotPending, atOffset: offset)
    #expect(v?.detail.contains("toggles bit(s) 0x1") == true)
  }

  @Test func smmuGErrorNWrittenWithNothingPending() throws {
    let system = try CMDQVSystem()
    system.device.smmu.write32(1, at: Reg.smmuGErrorN)
    system.expectFired(.errorAckNotPending, atOffset: Reg.smmuGErrorN, map: SMMUv3Map.name)
  }

  /// The guest disables its failed queue and enables it again without an ack.
  @Test func reenabledWithTheErrorPending() throws {
    let (system, vm, q0) = try stalledGuestQueue()
    try q0.disable()
    system.expectNoViolations()
    vm.window.write32(1, at: Reg.config, from: .guest(vintf: vm.vintf))
    system.expectFired(.errorEnablePending, atOffset: Reg.page0(vm.vintf, 0, Reg.config))
  }

  /// A HW queue destroy that skips "uncleared error detected, resetting".
  @Test func unmappedWithTheErrorPending() throws {
    let (system, vm, _) = try stalledGuestQueue()
    let d = system.device
    let v = vm.vintf
    try system.cmdqv.writeConfig(
      config: Reg.page0(v, 0, Reg.config), status: Reg.page0(v, 0, Reg.status), value: 0, what: "q0: ")
    try system.smmu.issue([], sync: true)
    d.write32(0, at: Reg.page0(v, 0, Reg.prod))
    d.write32(0, at: Reg.page0(v, 0, Reg.cons))
    d.write64(0, at: Reg.page1(v, 0, Reg.base))
    d.write64(0, at: Reg.page1(v, 0, Reg.consIndexBase))
    system.expectNoViolations()
    let q = v * 2
    d.write32(d.read32(at: Reg.alloc(q)) & ~1, at: Reg.alloc(q))
    system.expectFired(.errorUnmapPending, atOffset: Reg.alloc(q))
  }

  /// A host ISR that acknowledges a user VINTF's queue like VINTF0's.
  @Test func hostAcknowledgesARunningGuestQueue() throws {
    let (system, vm, _) = try stalledGuestQueue()
    let offset = Reg.page0(vm.vintf, 0, Reg.gerrorn)
    system.device.write32(system.device.read32(at: Reg.page0(vm.vintf, 0, Reg.gerror)), at: offset)
    system.expectFired(.errorHostAckGuestQueue, atOffset: offset)
  }
}

@Suite struct QueueMemoryRuleTests {
  func runningGuestQueue(log2Size: Int = 8) throws -> (CMDQVSystem, GuestVM, GuestLVCMDQ) {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let q0 = try vm.addQueue(log2Size: log2Size)
    try q0.enable()
    return (system, vm, q0)
  }

  /// The guest rewrites a command after ringing PROD (the hardware has not
  /// fetched it yet: no cycle ran).
  @Test func publishedEntryRewritten() throws {
    let (system, vm, q0) = try runningGuestQueue()
    try q0.submit([.tlbiNHASID(asid: 1), .tlbiNHASID(asid: 2)], sync: false, wait: false)
    system.expectNoViolations()
    let address = vm.layout.queueAddress(0) + 16
    #expect(vm.memory.writeBytes(SMMUCommand.tlbiNHASID(asid: 3).bytes, at: address))
    let v = system.expectViolation(.queueWriteOwned, count: 1).first
    #expect(v?.access == .memoryWrite(address: vm.layout.ramPA + (address - vm.layout.ramIPA), length: 16))
    #expect(v?.initiator == nil && v?.cycle == system.device.cycle)
  }

  @Test func prodPublishedMoreThanARingAhead() throws {
    let (system, vm, _) = try runningGuestQueue(log2Size: 2)
    // 4 entries: PROD 0x5 (wrap 1, index 1) is five entries past CONS 0.
    vm.window.write32(0x5, at: Reg.prod, from: .guest(vintf: vm.vintf))
    system.expectFired(.queueProdOverrun, atOffset: Reg.page0(vm.vintf, 0, Reg.prod))
  }

  @Test func prodMovedBackwards() throws {
    let (system, vm, q0) = try runningGuestQueue()
    try q0.submit([.tlbiNHASID(asid: 1), .tlbiNHASID(asid: 2)], sync: true, wait: false)
    vm.window.write32(1, at: Reg.prod, from: .guest(vintf: vm.vintf))
    system.expectFired(.queueProdRetreat, atOffset: Reg.page0(vm.vintf, 0, Reg.prod))
  }

  @Test func smmuQueueEntryRewrittenAfterPROD() throws {
    let system = try CMDQVSystem()
    let cmdq = try #require(system.smmu.cmdq)
    // Publish one command at PROD without letting the hardware run, then rewrite it.
    let prod = system.device.smmu.read32(at: 0x98)
    let mask = (UInt32(1) << UInt32(cmdq.log2Size)) - 1
    let entry = cmdq.baseAddress + UInt64(prod & mask) * 16
    system.device.memory.storeCommand(.cfgiSTE(streamID: 1), at: entry)
    system.device.smmu.write32((prod + 1) & (mask << 1 | 1), at: 0x98)
    system.expectNoViolations()
    system.device.memory.storeCommand(.cfgiSTE(streamID: 2), at: entry)
    system.expectViolation(.queueWriteOwned, count: 1)
  }
}

@Suite struct FlushAndSMMURuleTests {
  /// A HW queue destroy copied from a kernel without
  /// tegra241_vcmdq_hw_flush_timeout: the queue ran commands, then is
  /// disabled, zeroed and unmapped with no CMD_SYNC on the SMMU CMDQ.
  @Test func unmappedWithoutTheFlush() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let q0 = try vm.addQueue()
    try q0.enable()
    try q0.submit([.tlbiNHASID(asid: 1)])
    let d = system.device
    let v = vm.vintf
    try system.cmdqv.writeConfig(
      config: Reg.page0(v, 0, Reg.config), status: Reg.page0(v, 0, Reg.status), value: 0, what: "q0: ")
    d.write32(0, at: Reg.page0(v, 0, Reg.prod))
    d.write32(0, at: Reg.page0(v, 0, Reg.cons))
    d.write64(0, at: Reg.page1(v, 0, Reg.base))
    d.write64(0, at: Reg.page1(v, 0, Reg.consIndexBase))
    system.expectNoViolations()
    d.write32(d.read32(at: Reg.alloc(2 * v)) & ~1, at: Reg.alloc(2 * v))
    let violation = system.expectFired(.flushBeforeUnmap, atOffset: Reg.alloc(2 * v))
    #expect(violation?.detail.contains("after executing 2 command(s)") == true)
  }

  @Test func smmuCMDQBaseMovedWhileEnabled() throws {
    let system = try CMDQVSystem()
    system.device.smmu.write64(CMDQVSystem.dmaBase | 8, at: Reg.smmuCMDQBase)
    system.expectFired(.smmuCMDQBaseWhileEnabled, atOffset: Reg.smmuCMDQBase, map: SMMUv3Map.name)
  }

  @Test func smmuCMDQConsWrittenWhileEnabled() throws {
    let system = try CMDQVSystem()
    system.device.smmu.write32(1, at: Reg.smmuCMDQCons)
    system.expectFired(.smmuCMDQConsWhileEnabled, atOffset: Reg.smmuCMDQCons, map: SMMUv3Map.name)
  }
}

/// Every rule in the book has a firing test in this file: the list below
/// must name exactly the book's rules.
@Suite struct RuleCoverageTests {
  static let covered: Set<RuleID> = [
    .cmdqvRetoggle, .vintfRetoggle, .vcmdqRetoggle, .smmuCR0Retoggle, .vintfEnableCMDQVOff, .vcmdqEnableVINTFOff,
    .vcmdqEnableUnmapped, .vcmdqEnableInvalidBase, .vcmdqPage1WhileEnabled, .vcmdqConsWhileEnabled,
    .vcmdqUnmapEnabled, .vcmdqUnmapNotReset, .lvcmdqMapAscending, .lvcmdqUnmapDescending, .lvcmdqMapVINTFDisabled,
    .vintfDisableMapped, .allocReassignMapped, .vintfReconfigEnabled, .sidReplaceWhileMatched, .sidMatchRetargetLive,
    .sidMatchDuplicate, .errorAckNotPending, .errorEnablePending, .errorUnmapPending, .errorHostAckGuestQueue,
    .queueWriteOwned, .queueProdOverrun, .queueProdRetreat, .flushBeforeUnmap, .smmuCMDQBaseWhileEnabled,
    .smmuCMDQConsWhileEnabled,
  ]

  @Test func everyRuleHasAFiringTest() {
    #expect(Self.covered == Set(RuleID.allCases))
    #expect(RuleBook.rules.map(\.id) == RuleID.allCases)
    #expect(RuleBook.rules.count >= 25)
    for rule in RuleBook.rules {
      #expect(rule.source.contains(".c:") || rule.source.contains(".h"), "\(rule.id): source names no file")
      #expect(!rule.statement.isEmpty && !rule.observes.isEmpty && !rule.example.isEmpty)
    }
  }
}
