import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// A host with two SMMUs, each with its CMDQV, one iommufd context: the
/// kernel's "device on another IOMMU" checks are reachable from the harness.
@Suite struct TwoSMMUTests {
  @Test func instancesSplitStreamIDsAndShareMemory() throws {
    let system = try CMDQVSystem(smmuCount: 2)
    #expect(system.instances.count == 2)
    #expect(system.context.drivers.map(\.name) == ["smmu0", "smmu1"])
    #expect(system.instance(forStreamID: 0x100)?.index == 0)
    #expect(system.instance(forStreamID: 0x1_0100)?.index == 1)
    #expect(system.instance(forStreamID: 0x5_0000) == nil)
    #expect(system.instances[1].device.memory === system.device.memory)
    #expect(system.instances[1].cmdqvBasePhysical == CMDQVSystem.cmdqvBasePhysical + CMDQVSystem.instanceStride)
    // Both were booted: VINTF0 enabled on each.
    for instance in system.instances { #expect(instance.device.vintf(0).enabled) }
  }

  @Test func aVMBehindTheSecondSMMURunsOnItsCMDQV() throws {
    let system = try CMDQVSystem(smmuCount: 2)
    let vm = try GuestVM(system: system, physicalStreamID: 0x1_0100)
    #expect(vm.instance.index == 1)
    #expect(vm.vintf == 1)
    try vm.addVDevice(virtualStreamID: 0x10)
    let q0 = try vm.addQueue()
    try q0.enable()
    system.instances[1].device.clearExecutedCommands()
    system.device.clearExecutedCommands()
    try q0.submit([.atcInv(streamID: 0x10)])
    // Executed on the second CMDQV, with the vSID replaced by the pSID.
    #expect(system.instances[1].device.executedCommands.contains { $0.opcode == .atcInv && $0.streamID == 0x1_0100 })
    #expect(!system.device.executedCommands.contains { $0.opcode == .atcInv })
    // A VM on the first SMMU gets that CMDQV's VINTF1: VINTFs are per instance.
    let other = try GuestVM(system: system, physicalStreamID: 0x200)
    #expect(other.instance.index == 0 && other.vintf == 1)
    try vm.tearDown()
    try other.tearDown()
    #expect(system.context.close().isClean)
  }

  /// Objects of one SMMU refuse a device behind the other, in each ioctl
  /// with the kernel's errno.
  @Test func aDeviceOnAnotherIOMMUIsEINVAL() throws {
    let system = try CMDQVSystem(smmuCount: 2)
    let ctx = system.context
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)  // on smmu0
    let foreign = try ctx.bindDevice(streamIDs: [0x1_0200])  // on smmu1
    // arm_vsmmu_init: the nesting parent's SMMU is not the device's.
    #expect(throws: Errno.einval) {
      try ctx.allocVIOMMU(
        device: foreign, hwpt: vm.hwpt, type: Tegra241IOMMUDriver.viommuTypeTegra241CMDQV,
        data: Tegra241VIOMMUData().bytes)
    }
    // iommufd_vdevice_alloc_ioctl: viommu->iommu_dev != the device's IOMMU.
    #expect(throws: Errno.einval) { try ctx.allocVDevice(viommu: vm.viommu.id, device: foreign, virtID: 0x20) }
    // iommufd_hwpt_alloc on a vIOMMU: the same check.
    #expect(throws: Errno.einval) {
      try ctx.allocHWPT(device: foreign, pt: vm.viommu.id, data: .armSMMUv3(ste0: 0, ste1: 0))
    }
    // arm_smmu_attach_dev: a paging domain of another SMMU.
    #expect(throws: Errno.einval) { try ctx.attachDevice(foreign, pt: vm.hwpt) }
    // Nothing was left behind by the failures.
    #expect(ctx.objects(of: VIOMMU.self).count == 1)
    #expect(ctx.objects(of: VDevice.self).isEmpty)
    #expect((ctx.object(foreign) as? IOMMUFDDevice)?.attachedHWPT == nil)
    #expect(ctx.users(of: vm.hwpt) == 3)  // xarray, vIOMMU, the VM's device
    try vm.tearDown()
    try ctx.unbindDevice(foreign)
    #expect(ctx.close().isClean)
  }
}
