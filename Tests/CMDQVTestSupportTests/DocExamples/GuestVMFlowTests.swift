import CMDQVRegisters
import CMDQVTestSupport
import CMDQVTrace
import IOMMUFD
import Testing

/// The whole VMM flow in one call per step, with trace assertions.
@Suite struct GuestVMFlowTests {
  @Test func invalidationReachesTheSMMUWithThePhysicalStreamID() throws {
    let system = try CMDQVSystem()  // booted: VINTF0 enabled, kernel LVCMDQs mapped
    let trace = TraceCapture(system)  // records every event from here on

    let vm = try GuestVM(system: system, physicalStreamID: 0x100)  // IOAS, bind, HWPT, vIOMMU, mmap
    try vm.addVDevice(virtualStreamID: 0x10)  // IOMMU_VDEVICE_ALLOC: vSID 0x10 → pSID 0x100
    try vm.addEventQueue()  // IOMMU_VEVENTQ_ALLOC
    let q0 = try vm.addQueue()  // IOMMU_HW_QUEUE_ALLOC index 0 (ring of 256 entries)
    try q0.enable()  // the guest, through its mmapped page0

    // The host driver's writes, in order, with reads and other writes between them ignored.
    trace.expectWrites(["VINTF1_SID_REPLACE0", "VINTF1_SID_MATCH0", "CMDQV_CMDQ_ALLOC2"])

    trace.reset()  // forget the setup; recording goes on
    try q0.submit([.atcInv(streamID: 0x10)])  // + CMD_SYNC, waits until CONS reaches PROD

    // The guest wrote exactly one register: PROD, past the ATC_INV and the CMD_SYNC.
    trace.expectExactWrites([ExpectedWrite("VINTF1_LVCMDQ0_PROD", value: 0x2)], by: .guest(vintf: 1))
    trace.expectNoFaults()

    let atcInv = system.device.executedCommands.last { $0.opcode == .atcInv }
    #expect(atcInv?.streamID == 0x100)  // the SMMU saw the pSID

    try vm.tearDown()  // queues in descending order, then the rest
    system.expectNoViolations()  // no hardware programming rule was broken (Docs/Rules.md)
    #expect(system.context.liveObjectCount == 0)
  }
}
