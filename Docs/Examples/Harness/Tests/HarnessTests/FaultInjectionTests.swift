import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// Injected faults, and what the VMM and the guest see.
@Suite struct FaultInjectionTests {
  /// A VINTF whose enable handshake never completes: IOMMU_VIOMMU_ALLOC fails
  /// the way `tegra241_vintf_hw_init`'s poll does.
  @Test func stuckVINTFHandshakeTimesOutTheVIOMMU() throws {
    var configuration = CMDQVConfiguration.default
    configuration.cyclesPerMicrosecond = 1  // the 1 s poll timeout costs 1,000,000 cycles
    let system = try CMDQVSystem(configuration: configuration)
    try system.withFaults([.stuckHandshake(.vintf(1))]) {
      #expect(throws: Errno.etimedout) { _ = try GuestVM(system: system, physicalStreamID: 0x100) }
    }
    #expect(system.context.liveObjectCount == 0)  // the failed GuestVM undid its IOAS, bind and HWPT
    // withFaults removed the injection: the next vIOMMU gets VINTF1.
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    #expect(vm.vintf == 1)
  }

  /// A command error on a guest queue: the guest sees CONS.ERR, the VMM a
  /// vEVENT with the VINTF's LVCMDQ error map.
  @Test func commandErrorReachesTheGuestAndTheVMM() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    try vm.addVDevice(virtualStreamID: 0x10)
    try vm.addEventQueue()
    let q0 = try vm.addQueue()
    try q0.enable()

    // The VM's LVCMDQ0, named as the driver names it; the model finds the VCMDQ behind it.
    try system.inject(.commandError(code: CommandErrorCode.ill.rawValue, command: 1, queue: .lvcmdq(vintf: vm.vintf, lvcmdq: 0)))
    let error = try #require(throws: GuestQueueError.self) { try q0.submit([.atcInv(streamID: 0x10)]) }
    #expect(error.code == .ill)
    #expect(error.consIndex == 0)

    let events = try vm.readEvents()
    #expect(events.map(\.lvcmdqErrorMaps) == [[0x1, 0x0]])  // LVCMDQ0 of this VINTF

    q0.acknowledgeError()  // rewrite the entry as CMD_SYNC, write GERROR into GERRORN
    try q0.waitUntilConsumed()
    #expect(q0.pendingError() == nil)
  }

  /// A ring page that the IOAS maps but the model's memory does not back.
  @Test func unbackedRingPageIsEFAULT() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let q0 = try vm.addQueue()
    try q0.enable()
    let ringPA = vm.layout.ramPA + (vm.layout.queueAddress(0) - vm.layout.ramIPA)
    system.device.memory.unback(base: ringPA, length: 0x1000)

    let error = try #require(throws: Errno.self) { try q0.submit([.atcInv(streamID: 0x10)]) }
    #expect(error == .efault)
    #expect(error.message.contains("mapped in the IOAS"))
    #expect(error.message.contains("backRange"))
  }
}
