import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

@Suite struct TegraEndToEndTests {
  @Test func bootEnablesVINTF0WithItsQueuesInAscendingOrder() throws {
    let system = try CMDQVSystem(boot: false)
    let log = WriteLog(system.device)
    try system.boot()
    #expect(system.device.vintf(0).enabled)
    #expect(system.cmdqv.vintf0?.hypervisorOwned == true)
    system.expectNoViolations()
    #expect(system.device.accessFaults.isEmpty)
    // tegra241_cmdqv_hw_reset, then vintf_hw_init(VINTF0, hyp_own=true).
    expectSubsequence(
      ["CMDQV_CONFIG", "CMDQV_CONFIG", "CMDQV_CMDQ_ALLOC0", "CMDQV_CMDQ_ALLOC1", "VINTF0_CONFIG", "VINTF0_SID_MATCH0",
       "VINTF0_SID_REPLACE0", "VINTF0_CONFIG", "VINTF0_CONFIG", "CMDQV_CMDQ_ALLOC0", "VINTF0_LVCMDQ0_BASE",
       "VINTF0_LVCMDQ0_CONFIG", "CMDQV_CMDQ_ALLOC1", "VINTF0_LVCMDQ1_BASE", "VINTF0_LVCMDQ1_CONFIG"],
      in: log.names)
  }

  @Test func hostCommandsGoThroughVINTF0() throws {
    let system = try CMDQVSystem()
    system.device.clearExecutedCommands()
    try system.cmdqv.issue([.tlbiNHASID(asid: 7), .cfgiSTE(streamID: 3)], sync: true, cpu: 1)
    let executed = system.device.executedCommands
    #expect(executed.map(\.opcode) == [.tlbiNHASID, .cfgiSTE, .sync])
    #expect(executed.allSatisfy { $0.source == .vcmdq(index: 1, vintf: 0, lvcmdq: 1) })
  }

  @Test func wholeVMMFlow() throws {
    let system = try CMDQVSystem()
    let log = WriteLog(system.device)
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    #expect(vm.vintf == 1)
    let vmid = try #require((system.context.object(vm.hwpt) as? HWPTPaging)?.vmid)
    expectSubsequence(["VINTF1_CONFIG", "VINTF1_SID_MATCH0", "VINTF1_SID_REPLACE0", "VINTF1_CONFIG", "VINTF1_CONFIG"], in: log.names)
    #expect(system.device.vintf(1).enabled)

    log.clear()
    try vm.addVDevice(virtualStreamID: 0x10)
    // tegra241_vintf_init_vsid: SID_REPLACE first, then SID_MATCH.
    #expect(log.names == ["VINTF1_SID_REPLACE0", "VINTF1_SID_MATCH0"])
    try vm.addEventQueue()

    log.clear()
    let q0 = try vm.addQueue()
    let q1 = try vm.addQueue()
    expectSubsequence(
      ["CMDQV_CMDQ_ALLOC2", "VINTF1_LVCMDQ0_CONFIG", "SMMU_CMDQ_PROD", "VINTF1_LVCMDQ0_PROD", "VINTF1_LVCMDQ0_CONS",
       "VINTF1_LVCMDQ0_BASE", "VINTF1_LVCMDQ0_CONS_INDX_BASE", "VINTF1_LVCMDQ0_BASE",
       "CMDQV_CMDQ_ALLOC3", "VINTF1_LVCMDQ1_CONFIG", "VINTF1_LVCMDQ1_BASE"],
      in: log.names)

    try q0.enable()
    try q1.enable()
    system.device.clearExecutedCommands()
    try q0.submit([.tlbiNHASID(asid: 5), .atcInv(streamID: 0x10, address: 0x4000), .tlbiNHVA(asid: 5, address: 0x1000)])
    let executed = system.device.executedCommands
    #expect(executed.map(\.opcode) == [.tlbiNHASID, .atcInv, .tlbiNHVA, .sync])
    #expect(executed[1].streamID == 0x100)
    #expect(executed[1].virtualStreamID == 0x10)
    #expect(executed[0].vmid == vmid)
    #expect(executed.allSatisfy { $0.source == .vcmdq(index: 2, vintf: 1, lvcmdq: 0) })

    // An illegal guest command: one vEVENT with LVCMDQ1's bit, not acked by the host.
    #expect(throws: GuestQueueError.self) { try q1.submit([.cfgiSTE(streamID: 0x10)]) }
    let error = try #require(q1.pendingError())
    #expect(error.code == 4)  // ILL_ACCESS: CFGI_STE is not allowed from a guest-owned VINTF
    #expect(error.consIndex == 0)
    let events = try vm.readEvents()
    // struct iommu_vevent_tegra241_cmdqv: lvcmdq_err_map[0] has bit 1 (LVCMDQ1), map[1] is 0.
    var expected = [UInt8](repeating: 0, count: 16)
    expected[0] = 0b10
    #expect(events.map(\.kind) == [.event(data: expected)])
    // The host does not acknowledge a user VINTF's error: still pending.
    #expect(q1.pendingError() != nil)
    q1.acknowledgeError()
    try q1.waitUntilConsumed()

    log.clear()
    try vm.tearDown()
    expectSubsequence(["CMDQV_CMDQ_ALLOC3", "CMDQV_CMDQ_ALLOC2"], in: log.names)
    _ = system.context.close()
    system.expectNoViolations()
    #expect(system.context.liveObjectCount == 0)
  }
}
