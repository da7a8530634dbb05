import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// The same flow one ioctl at a time, as a VMM issues them, and the guest's
/// queue driven by hand.
@Suite struct IoctlFlowTests {
  @Test func oneGuestQueueIoctlByIoctl() throws {
    let system = try CMDQVSystem()
    let ctx = system.context

    // Guest RAM: 4 MiB at IPA 0x8000_0000, backed by host-physical 0x2_0000_0000.
    let ramIPA: UInt64 = 0x8000_0000
    let ramPA: UInt64 = 0x2_0000_0000
    let ramSize: UInt64 = 0x40_0000
    system.device.memory.backRange(base: ramPA, length: ramSize)  // the model's physical memory
    let ioas = try ctx.allocIOAS()  // IOMMU_IOAS_ALLOC
    try ctx.ioasMap(ioas: ioas, iova: ramIPA, length: ramSize, physicalAddress: ramPA)  // IOMMU_IOAS_MAP

    let device = try ctx.bindDevice(streamIDs: [0x100])  // the passthrough device (pSID 0x100)
    let hwpt = try ctx.allocHWPT(device: device, pt: ioas, flags: .nestParent)  // IOMMU_HWPT_ALLOC: the S2
    try ctx.vfioAttachPT(device: device, pt: hwpt)  // VFIO_DEVICE_ATTACH_IOMMUFD_PT
    let viommu = try ctx.allocVIOMMU(  // IOMMU_VIOMMU_ALLOC: the driver takes a VINTF
      device: device, hwpt: hwpt, type: Tegra241IOMMUDriver.viommuTypeTegra241CMDQV,
      data: Tegra241VIOMMUData().bytes)  // struct iommu_viommu_tegra241_cmdqv, filled on return
    let out = try #require(viommu.tegra241)  // the driver's output, decoded from viommu.data
    let page0 = try ctx.mmap(offset: out.vintfMMapOffset, length: out.vintfMMapLength)  // 0x10000: the VINTF's page0

    // The VINTF index, from where page0 sits: base + 0x30000 + 0x20000 * vintf.
    let vintf = Int((page0.physicalAddress - CMDQVSystem.cmdqvBasePhysical - 0x30000) / 0x20000)
    let window = system.guestWindow(page0, vintf: vintf)  // the guest's view of page0
    let guestRAM = system.guestMemory(ioas: ioas)  // memory addressed by IPA

    let vdevice = try ctx.allocVDevice(viommu: viommu.id, device: device, virtID: 0x10)  // vSID 0x10
    let ringIPA: UInt64 = 0x8010_0000
    let queue = try ctx.allocHWQueue(  // IOMMU_HW_QUEUE_ALLOC: maps LVCMDQ0, programs BASE
      viommu: viommu.id, type: Tegra241IOMMUDriver.hwQueueTypeTegra241CMDQV, index: 0,
      nestingParentIOVA: ringIPA, length: 0x1000)  // 256 entries of 16 bytes

    let q0 = GuestLVCMDQ(
      window: window, lidx: 0, vintf: vintf, memory: guestRAM, clock: system.clock,
      queueAddress: ringIPA, log2Size: 8)
    try q0.enable()
    try q0.submit([.tlbiNHASID(asid: 5), .atcInv(streamID: 0x10)])

    let executed = system.device.executedCommands.filter { $0.opcode == .tlbiNHASID || $0.opcode == .atcInv }
    #expect(executed.map(\.opcode) == [.tlbiNHASID, .atcInv])
    #expect(executed.last?.streamID == 0x100)  // vSID 0x10 replaced by the pSID

    // Teardown in dependency order.
    try ctx.destroy(queue)
    page0.munmap()
    try ctx.destroy(vdevice)
    try ctx.destroy(viommu.id)
    try ctx.unbindDevice(device)  // detaches it from the HWPT
    try ctx.destroy(hwpt)
    try ctx.destroy(ioas)
    #expect(ctx.liveObjectCount == 0)
  }
}
