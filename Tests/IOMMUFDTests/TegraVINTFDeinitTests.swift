import CMDQVModel
import CMDQVTestSupport
import IOMMUFD
import Testing

/// `tegra241_vintf_hw_deinit` is `void` (tegra241-cmdqv.c, v6.17): a failed
/// disable is logged and the caller carries on.
@Suite struct TegraVINTFDeinitTests {
  /// VINTFn_STATUS (ENABLE_OK is bit 0).
  static func statusOffset(_ vintf: Int) -> Int { 0x1000 + 0x100 * vintf + 0x4 }

  @Test func stickyStatusDoesNotFailTheNextVIOMMUAlloc() throws {
    var configuration = CMDQVConfiguration.default
    configuration.cyclesPerMicrosecond = 1
    let system = try CMDQVSystem(configuration: configuration)
    let first = try GuestVM(system: system, physicalStreamID: 0x100)
    #expect(first.vintf == 1)
    // STATUS.ENABLE_OK sticks at 1: the disable in the vIOMMU's destroy times out.
    try system.device.injectStuckBit(offset: Self.statusOffset(1), bit: 0, value: true)
    try first.tearDown()
    #expect(system.cmdqv.log.filter { $0.contains("VINTF1: failed to disable") }.count == 1)
    // The next VIOMMU_ALLOC gets VINTF1 again; its hw_init's deinit fails the
    // same way and carries on, and the enable sees STATUS 1: success.
    let second = try GuestVM(system: system, physicalStreamID: 0x101)
    #expect(second.vintf == 1)
    #expect(system.cmdqv.log.filter { $0.contains("VINTF1: failed to disable") }.count == 2)
    #expect(system.device.vintf(1).configEnabled)
  }

  @Test func stickyVINTF0StatusDoesNotFailTheHostReset() throws {
    var configuration = CMDQVConfiguration.default
    configuration.cyclesPerMicrosecond = 1
    let system = try CMDQVSystem(configuration: configuration)
    try system.device.injectStuckBit(offset: Self.statusOffset(0), bit: 0, value: true)
    try system.cmdqv.hwReset()
    #expect(system.cmdqv.log.contains { $0.contains("VINTF0: failed to disable") })
    #expect(system.device.vintf(0).configEnabled)
  }
}
