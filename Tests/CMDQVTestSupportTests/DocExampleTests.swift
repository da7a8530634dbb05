import CMDQVModel
import CMDQVTestSupport
import CMDQVTrace
import IOMMUFD
import Testing

/// The example in Docs/TestSupport.md, kept compiling and passing.
@Suite struct DocExampleTests {
  @Test func myVMMFlow() throws {
    let system = try CMDQVSystem()
    let trace = TraceCapture(system)

    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    try vm.addVDevice(virtualStreamID: 0x10)
    try vm.addEventQueue()
    let q0 = try vm.addQueue()
    try q0.enable()
    try q0.submit([.atcInv(streamID: 0x10)])

    let atcInv = system.device.executedCommands.last { $0.opcode == .atcInv }
    #expect(atcInv?.streamID == 0x100)
    trace.expectWrites(["VINTF1_SID_REPLACE0", "VINTF1_SID_MATCH0", "CMDQV_CMDQ_ALLOC2"])
    trace.expectNoFaults()
    try vm.tearDown()
    system.expectNoViolations()
    #expect(system.context.liveObjectCount == 0)
  }

  /// The policy example in Docs/Rules.md.
  @Test func rulePolicies() {
    var configuration = CMDQVConfiguration.default
    configuration.rulePolicies = RulePolicies(.record)
    configuration.rulePolicies[.lvcmdqMapAscending] = .trap
    let device = CMDQVDevice(configuration: configuration)
    device.rulePolicies[.queueProdRetreat] = .ignore
    #expect(device.rulePolicies[.lvcmdqMapAscending] == .trap)
    #expect(device.rulePolicies[.queueProdRetreat] == .ignore)
    #expect(device.rulePolicies[.flushBeforeUnmap] == .record)
  }
}
