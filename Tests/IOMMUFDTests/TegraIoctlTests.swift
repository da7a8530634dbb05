import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// IOMMU_VIOMMU_ALLOC through the Tegra241 driver: the core's checks
/// (`iommufd_viommu_alloc_ioctl`, viommu.c, v6.17) then `arm_vsmmu_init` / `tegra241_cmdqv_init_vintf_user`.
@Suite struct TegraVIOMMUAllocTests {
  @Test func coreChecksInOrder() throws {
    let system = try CMDQVSystem()
    let prep = try VMPrep(system, streamID: 0x100)
    let ctx = system.context
    let before = ctx.liveObjectCount
    // 1. flags / DEFAULT type.
    expectErrno(.eopnotsupp) { try prep.allocVIOMMU(system, flags: 1) }
    expectErrno(.eopnotsupp) { try prep.allocVIOMMU(system, type: 0) }
    // 1 before 2: a bad device with flags set is still EOPNOTSUPP.
    expectErrno(.eopnotsupp) { try ctx.allocVIOMMU(device: 999, hwpt: prep.hwpt, type: 2, flags: 1) }
    // 2. bad dev_id (also an ID of the wrong type).
    expectErrno(.enoent) { try ctx.allocVIOMMU(device: 999, hwpt: prep.hwpt, type: 2, data: .init(repeating: 0, count: 16)) }
    expectErrno(.enoent) { try ctx.allocVIOMMU(device: prep.ioas, hwpt: prep.hwpt, type: 2) }
    // 4. get_viommu_size == 0: the plain ARM_SMMUV3 type is not modelled, nor
    //    an unknown type; checked before the HWPT lookup.
    expectErrno(.eopnotsupp) { try prep.allocVIOMMU(system, type: Tegra241IOMMUDriver.viommuTypeARMSMMUv3) }
    expectErrno(.eopnotsupp) { try prep.allocVIOMMU(system, type: 77) }
    expectErrno(.eopnotsupp) { try ctx.allocVIOMMU(device: prep.device, hwpt: 999, type: 1) }
    // 6. hwpt not a HWPT_PAGING.
    expectErrno(.enoent) { try ctx.allocVIOMMU(device: prep.device, hwpt: 999, type: 2) }
    expectErrno(.enoent) { try ctx.allocVIOMMU(device: prep.device, hwpt: prep.ioas, type: 2) }
    #expect(ctx.liveObjectCount == before)
    #expect(system.cmdqv.vintfs.compactMap { $0 }.count == 1)
  }

  @Test func hwptNotNestParentIsEINVAL() throws {
    let system = try CMDQVSystem()
    let prep = try VMPrep(system, streamID: 0x100, nestParent: false)
    expectErrno(.einval) { try prep.allocVIOMMU(system) }
    // Checked before the driver's user-data checks (those would be EINVAL too,
    // but no VINTF may have been touched).
    #expect(system.cmdqv.vintfs[1] == nil)
  }

  @Test(arguments: [0, 15, 17, 32])
  func userDataMustBeExactly16Bytes(length: Int) throws {
    let system = try CMDQVSystem()
    let prep = try VMPrep(system, streamID: 0x100)
    let before = system.context.liveObjectCount
    let log = WriteLog(system.device)
    expectErrno(.einval) { try prep.allocVIOMMU(system, data: .init(repeating: 0, count: length)) }
    #expect(system.context.liveObjectCount == before)
    // The data checks come before ida_alloc / hw_init: no VINTF register written.
    #expect(!log.names.contains { $0.hasPrefix("VINTF1") })
    #expect(system.cmdqv.vintfs[1] == nil)
    #expect(system.context.mmapRegistry.isEmpty)
  }

  @Test func fourthUserVIOMMUIsENOSPCAndTheLowestFreeIndexIsReused() throws {
    let system = try CMDQVSystem()
    var vms: [GuestVM] = []
    for i in 0..<3 {
      let vm = try GuestVM(system: system, physicalStreamID: 0x100 + UInt32(i))
      #expect(vm.vintf == i + 1)
      vms.append(vm)
    }
    let prep = try VMPrep(system, streamID: 0x200)
    let before = system.context.liveObjectCount
    expectErrno(.enospc) { try prep.allocVIOMMU(system) }
    #expect(system.context.liveObjectCount == before)
    let hwptUsers = system.context.users(of: prep.hwpt)
    #expect(hwptUsers == 1)
    // Free VINTF2; the next vIOMMU gets index 2 (ida_alloc: lowest free).
    try vms[1].tearDown()
    #expect(!system.device.vintf(2).enabled)
    let allocation = try prep.allocVIOMMU(system)
    #expect(allocation.tegra241?.vintfMMapLength == 0x10000)
    let mapping = try system.context.mmap(offset: try #require(allocation.tegra241?.vintfMMapOffset), length: 0x10000)
    #expect(mapping.physicalAddress == CMDQVSystem.cmdqvBasePhysical + 0x30000 + 0x20000 * 2)
    #expect(system.device.vintf(2).enabled)
    #expect(!system.device.vintf(2).hypervisorOwned)
    mapping.munmap()
    #expect(system.context.close().isClean)
    system.expectNoViolations()
  }

  @Test func userDataOutputIsOffsetAndLength() throws {
    let system = try CMDQVSystem()
    let prep = try VMPrep(system, streamID: 0x100)
    let allocation = try prep.allocVIOMMU(system)
    let offset = try #require(allocation.tegra241?.vintfMMapOffset)
    #expect(offset != 0)
    var expected: [UInt8] = []
    for v in [offset, 0x10000] { expected += (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
    #expect(allocation.data == expected)
    // VINTF1 CONFIG carries the nest parent's VMID and HYP_OWN=0.
    let vmid = try #require((system.context.object(prep.hwpt) as? HWPTPaging)?.vmid)
    #expect(system.device.vintf(1).vmid == vmid)
  }

  @Test func vintfEnableTimeoutIsETIMEDOUTAndLeavesNothing() throws {
    var configuration = CMDQVConfiguration.default
    configuration.cyclesPerMicrosecond = 1
    let system = try CMDQVSystem(configuration: configuration)
    let prep = try VMPrep(system, streamID: 0x100)
    let before = system.context.liveObjectCount
    try system.device.injectStuckHandshake(.vintf(1))
    let start = system.device.currentCycle
    let log = WriteLog(system.device)
    expectErrno(.etimedout) { try prep.allocVIOMMU(system) }
    // vintf_hw_init returns right after the failed enable and the kernel
    // unwinds with deinit_vintf only (no hardware access): the last VINTF1
    // write is CONFIG = VMID | EN.
    let vmid = try #require((system.context.object(prep.hwpt) as? HWPTPaging)?.vmid)
    #expect(log.cmdqvWrites.last == "VINTF1_CONFIG=0x\(String(UInt64(vmid) << 1 | 1, radix: 16))")
    // readl_poll_timeout(…, 1, ARM_SMMU_POLL_TIMEOUT_US): about 1 s of model time.
    #expect(system.device.currentCycle - start >= 1_000_000)
    #expect(system.context.liveObjectCount == before)
    #expect(system.context.users(of: prep.hwpt) == 1)
    #expect(system.context.mmapRegistry.isEmpty)
    #expect(system.cmdqv.vintfs[1] == nil)
    // Not enabled (STATUS never followed), though CONFIG.EN stays written.
    #expect(!system.device.vintf(1).enabled)
    #expect(system.device.vintf(1).configEnabled)
    #expect(system.cmdqv.log.contains { $0.contains("VINTF1: failed to enable") })
    // The index was freed: once the hardware behaves, VINTF1 is handed out.
    system.device.clearInjections()
    let vm = try GuestVM(system: system, physicalStreamID: 0x101)
    #expect(vm.vintf == 1)
    #expect(system.device.vintf(1).enabled)
    #expect(system.device.vintf(1).vmid == (system.context.object(vm.hwpt) as? HWPTPaging)?.vmid)
  }

  @Test func cmdqvEnableTimeoutAtBootIsETIMEDOUT() throws {
    var configuration = CMDQVConfiguration.default
    configuration.cyclesPerMicrosecond = 1
    let system = try CMDQVSystem(configuration: configuration, boot: false)
    try system.device.injectStuckHandshake(.cmdqv)
    expectErrno(.etimedout) { try system.boot() }
    // The model powers up with CMDQV enabled, so the stuck handshake already
    // blocks the first step of tegra241_cmdqv_hw_reset (disable).
    #expect(system.cmdqv.log == ["CMDQV: failed to disable, STATUS=0x00000001"])
    #expect(!system.device.vintf(0).enabled)
  }
}

/// IOMMU_VDEVICE_ALLOC on a Tegra vIOMMU: core checks (C.7), then
/// `tegra241_vintf_init_vsid` (B.8).
@Suite struct TegraVDeviceTests {
  @Test func vsidRangeAndStreamCountAndSlots() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let ctx = system.context
    // vSID > FIELD_MAX(GENMASK(20,1)).
    expectErrno(.einval) { try vm.addVDevice(virtualStreamID: 0x10_0000) }
    expectErrno(.einval) { try vm.addVDevice(virtualStreamID: UInt64(UInt32.max) + 1) }
    #expect(programmedSIDs(system, vintf: 1).isEmpty)
    // Two StreamIDs.
    let twoSIDs = try ctx.bindDevice(streamIDs: [0x300, 0x301])
    expectErrno(.eopnotsupp) { try ctx.allocVDevice(viommu: vm.viommu.id, device: twoSIDs, virtID: 5) }
    #expect(programmedSIDs(system, vintf: 1).isEmpty)
    // The largest vSID works.
    try vm.addVDevice(virtualStreamID: 0xF_FFFF)
    #expect(programmedSIDs(system, vintf: 1).map(\.vsid) == [0xF_FFFF])
    #expect(ctx.warnings.isEmpty)
  }

  @Test func allSixteenSlotsThenENOSPC() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let ctx = system.context
    var vdevs: [UInt32] = []
    for i in 0..<16 {
      let dev = i == 0 ? vm.device : try ctx.bindDevice(streamIDs: [0x400 + UInt32(i)])
      vdevs.append(try ctx.allocVDevice(viommu: vm.viommu.id, device: dev, virtID: 0x40 + UInt64(i)))
    }
    #expect(programmedSIDs(system, vintf: 1).count == 16)
    let extra = try ctx.bindDevice(streamIDs: [0x500])
    let before = ctx.liveObjectCount
    expectErrno(.enospc) { try ctx.allocVDevice(viommu: vm.viommu.id, device: extra, virtID: 0x99) }
    #expect(ctx.liveObjectCount == before)
    // Slot 5 freed → the next vDEVICE takes slot 5 (lowest free).
    try ctx.destroy(vdevs[5])
    #expect(!programmedSIDs(system, vintf: 1).contains { $0.slot == 5 })
    _ = try ctx.allocVDevice(viommu: vm.viommu.id, device: extra, virtID: 0x99)
    let slot5 = try #require(programmedSIDs(system, vintf: 1).first { $0.slot == 5 })
    #expect(slot5.vsid == 0x99 && slot5.psid == 0x500)
  }

  @Test func duplicateVirtIDAndSecondVDeviceAreEEXIST() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let ctx = system.context
    try vm.addVDevice(virtualStreamID: 0x10)
    let other = try ctx.bindDevice(streamIDs: [0x101])
    expectErrno(.eexist) { try ctx.allocVDevice(viommu: vm.viommu.id, device: other, virtID: 0x10) }
    expectErrno(.eexist) { try ctx.allocVDevice(viommu: vm.viommu.id, device: vm.device, virtID: 0x11) }
    // Only the first vDEVICE's slot is programmed; the aborted ones never
    // reached vdevice_init (or were undone).
    #expect(programmedSIDs(system, vintf: 1).map(\.vsid) == [0x10])
  }

  @Test func sidReplaceBeforeSidMatchAndDestroyInReverse() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x123)
    let log = WriteLog(system.device)
    try vm.addVDevice(virtualStreamID: 0x45)
    #expect(log.cmdqvWrites == ["VINTF1_SID_REPLACE0=0x123", "VINTF1_SID_MATCH0=0x8b"])
    log.clear()
    try system.context.destroy(try #require(vm.vdevice))
    #expect(log.cmdqvWrites == ["VINTF1_SID_MATCH0=0x0", "VINTF1_SID_REPLACE0=0x0"])
  }

  @Test func unbindingTheDeviceTombstonesTheVDeviceAndClearsItsSlot() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let ctx = system.context
    let other = try ctx.bindDevice(streamIDs: [0x101])
    let vdev = try ctx.allocVDevice(viommu: vm.viommu.id, device: other, virtID: 0x22)
    #expect(programmedSIDs(system, vintf: 1).count == 1)
    let log = WriteLog(system.device)
    try ctx.unbindDevice(other)
    #expect(log.cmdqvWrites == ["VINTF1_SID_MATCH0=0x0", "VINTF1_SID_REPLACE0=0x0"])
    #expect(programmedSIDs(system, vintf: 1).isEmpty)
    expectErrno(.enoent) { try ctx.destroy(vdev) }
    // The vIOMMU reference was dropped: it can go once the mmap is gone.
    vm.mapping.munmap()
    try ctx.destroy(vm.viommu.id)
  }
}
