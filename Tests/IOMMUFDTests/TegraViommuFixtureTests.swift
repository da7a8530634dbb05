import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// The Tegra-relevant sequences of the kernel's `iommufd_viommu` fixture
/// (tools/testing/selftests/iommu/iommufd.c, v6.17) again, against
/// TEGRA241_CMDQV: the same steps with the Tegra types and data
/// (`struct iommu_viommu_tegra241_cmdqv`, ARM SMMUv3 vSTEs, LVCMDQ HW
/// queues) and the errno the Tegra/arm-smmu-v3 driver gives where it
/// differs from the mock. The mock device of `MOCK_DOMAIN` becomes a VFIO
/// device (bind + attach to the IOAS); `MOCK_DOMAIN_REPLACE` becomes
/// `iommufd_device_replace`; `DESTROY(stdev)` becomes the unbind.
/// vEVENT triggers are left out: a Tegra vEVENT is a VINTF's LVCMDQ error
/// (see TegraRuntimeTests), not a per-device event.
@Suite struct TegraViommuFixtureTests {
  typealias Variant = SelftestFixture.Variant

  /// The fixture: IOAS 1, device 2 attached to its auto HWPT 3, nest parent
  /// 4, TEGRA241_CMDQV vIOMMU 5, a nested HWPT 6 with a bypass vSTE.
  final class Fixture {
    let system: CMDQVSystem
    var ctx: IOMMUFDContext { system.context }
    let ioas: UInt32
    var device: UInt32 = 0
    var hwpt: UInt32 = 0
    var viommu: UInt32 = 0
    var nestedHWPT: UInt32 = 0
    static let bufferPA: UInt64 = 0x2_0000_0000
    static let iova: UInt64 = 0x100_0000

    init(_ variant: Variant, sourceLocation: SourceLocation = #_sourceLocation) throws {
      system = try CMDQVSystem()
      system.device.memory.backRange(base: Self.bufferPA, length: 0x10_0000)
      ioas = try system.context.allocIOAS()
      guard variant == .mockVIOMMU else { return }
      device = try ctx.bindDevice(streamIDs: [0x100])
      let auto = try ctx.attachDevice(device, pt: ioas)
      hwpt = try ctx.allocHWPT(device: device, pt: ioas, flags: .nestParent)
      viommu = try ctx.allocVIOMMU(
        device: device, hwpt: hwpt, type: Tegra241IOMMUDriver.viommuTypeTegra241CMDQV, data: [UInt8](repeating: 0, count: 16)
      ).id
      nestedHWPT = try ctx.allocHWPT(device: device, pt: viommu, data: .armSMMUv3(ste0: 0x9, ste1: 0))
      #expect([ioas, device, auto, hwpt, viommu, nestedHWPT] == [1, 2, 3, 4, 5, 6], sourceLocation: sourceLocation)
    }

    /// Closing the fd releases everything, VINTFs and LVCMDQs included.
    func teardown(sourceLocation: SourceLocation = #_sourceLocation) {
      let report = ctx.close()
      #expect(report.isClean, "\(report)", sourceLocation: sourceLocation)
      #expect(ctx.liveObjectCount == 0 && ctx.tombstonedIDs.isEmpty, sourceLocation: sourceLocation)
      #expect(ctx.mmapRegistry.isEmpty && ctx.pinnedPages.isEmpty, sourceLocation: sourceLocation)
      #expect(allocatedVCMDQs(system) == [0, 1], "only VINTF0's queues stay", sourceLocation: sourceLocation)
    }
  }

  let page = IOAS.pageSize
  let tegra = Tegra241IOMMUDriver.viommuTypeTegra241CMDQV

  /// viommu_auto_destroy.
  @Test(arguments: Variant.allCases)
  func viommuAutoDestroy(variant: Variant) throws {
    try Fixture(variant).teardown()
  }

  /// viommu_negative_tests.
  @Test(arguments: Variant.allCases)
  func viommuNegativeTests(variant: Variant) throws {
    let f = try Fixture(variant)
    let data = [UInt8](repeating: 0, count: 16)
    if f.device != 0 {
      expectErrno(.enoent) { try f.ctx.allocVIOMMU(device: f.device, hwpt: 0, type: tegra, data: data) }
      let hwpt = try f.ctx.allocHWPT(device: f.device, pt: f.ioas, flags: [])
      expectErrno(.einval) { try f.ctx.allocVIOMMU(device: f.device, hwpt: hwpt, type: tegra, data: data) }
      try f.ctx.destroy(hwpt)
      // The selftest type (and 0xdead) are not Tegra's.
      expectErrno(.eopnotsupp) { try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: 0xdead, data: data) }
      expectErrno(.eopnotsupp) {
        try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType, data: data)
      }
      expectErrno(.ebusy) { try f.ctx.destroy(f.hwpt) }
      expectErrno(.ebusy) { try f.ctx.destroy(f.viommu) }
    } else {
      expectErrno(.enoent) { try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: tegra, data: data) }
    }
    f.teardown()
  }

  /// viommu_alloc_nested_iopf with a vSTE (the page fault itself is not
  /// modelled).
  @Test func viommuAllocNestedIOPF() throws {
    let f = try Fixture(.mockVIOMMU)
    let ctx = f.ctx
    let vste = HWPTUserData.armSMMUv3(ste0: 0x9, ste1: 0)
    let fault = try ctx.allocFaultQueue()
    expectErrno(.enoent) {
      try ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .faultIDValid, data: vste, faultID: UInt32.max)
    }
    expectErrno(.eopnotsupp) {
      try ctx.allocHWPT(
        device: f.device, pt: f.viommu, flags: [.faultIDValid, HWPTAllocFlags(rawValue: 1 << 31)], data: vste,
        faultID: fault)
    }
    let iopfHWPT = try ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .faultIDValid, data: vste, faultID: fault)
    // arm_smmu_attach_prepare_vmaster: no vDEVICE → ENOENT.
    expectErrno(.enoent) { try ctx.replaceDevice(f.device, pt: iopfHWPT) }
    _ = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try ctx.replaceDevice(f.device, pt: iopfHWPT)
    expectErrno(.ebusy) { try ctx.destroy(iopfHWPT) }
    #expect(try ctx.replaceDevice(f.device, pt: f.ioas) == 3)
    try ctx.destroy(iopfHWPT)
    try ctx.closeFaultQueueFile(fault)
    try ctx.destroy(fault)
    f.teardown()
  }

  /// viommu_alloc_with_data: the Tegra data is the VINTF page0 mmap.
  @Test func viommuAllocWithData() throws {
    let f = try Fixture(.mockVIOMMU)
    let ctx = f.ctx
    let allocation = try ctx.allocVIOMMU(
      device: f.device, hwpt: f.hwpt, type: tegra, data: [UInt8](repeating: 0, count: 16))
    let offset = try #require(allocation.tegra241?.vintfMMapOffset)
    let length = try #require(allocation.tegra241?.vintfMMapLength)
    expectErrno(.enxio) { try ctx.mmap(offset: offset + page, length: length) }
    expectErrno(.enxio) { try ctx.mmap(offset: offset + 2 * page, length: length) }
    expectErrno(.enxio) { try ctx.mmap(offset: offset, length: length / 2) }
    expectErrno(.enxio) { try ctx.mmap(offset: offset, length: length * 2) }
    let mapping = try ctx.mmap(offset: offset, length: length)
    #expect(mapping.physicalAddress >= CMDQVSystem.cmdqvBasePhysical + 0x30000)
    expectErrno(.ebusy) { try ctx.destroy(allocation.id) }
    mapping.munmap()
    f.teardown()
  }

  /// vdevice_alloc without the vEVENT triggers.
  @Test(arguments: Variant.allCases)
  func vdeviceAlloc(variant: Variant) throws {
    let f = try Fixture(variant)
    let ctx = f.ctx
    guard f.device != 0 else {
      expectErrno(.enoent) { try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99) }
      f.teardown()
      return
    }
    let type = Tegra241IOMMUDriver.veventqTypeTegra241CMDQV
    expectErrno(.enoent) { try ctx.replaceDevice(f.device, pt: f.nestedHWPT) }
    let veventq = try ctx.allocVEventQueue(viommu: f.viommu, type: type, depth: 2)
    expectErrno(.eexist) { try ctx.allocVEventQueue(viommu: f.viommu, type: type, depth: 2) }
    var vdev = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try ctx.replaceDevice(f.device, pt: f.nestedHWPT)
    expectErrno(.eexist) { try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99) }
    try ctx.replaceDevice(f.device, pt: f.ioas)
    try ctx.destroy(vdev)
    vdev = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x88)
    try ctx.replaceDevice(f.device, pt: f.nestedHWPT)
    try ctx.replaceDevice(f.device, pt: f.ioas)
    try ctx.destroy(vdev)
    try ctx.destroy(veventq)
    f.teardown()
  }

  /// vdevice_cache on SMMUv3 commands (`arm_vsmmu_cache_invalidate`): the
  /// vSID of ATC_INV/CFGI_CD is the vDEVICE's virt_id. Where the mock and
  /// SMMUv3 differ: an empty array is EINVAL (no type probe), and an unknown
  /// vSID or opcode is EIO, not EINVAL.
  @Test func vdeviceCache() throws {
    let f = try Fixture(.mockVIOMMU)
    let ctx = f.ctx
    let arm = UserDataArray.typeARMSMMUv3
    func invalidate(
      _ errno: Errno?, type: UInt32 = UserDataArray.typeARMSMMUv3, entryLength: UInt32 = 16, _ commands: [SMMUCommand],
      num: UInt32? = nil, expectNum: UInt32, sourceLocation: SourceLocation = #_sourceLocation
    ) {
      var entryNum = num ?? UInt32(commands.count)
      do {
        try ctx.invalidate(
          hwpt: f.viommu, dataType: type, entryLength: entryLength, entryNum: &entryNum,
          data: commands.flatMap(\.bytes) + [UInt8](repeating: 0, count: max(0, Int(entryLength) - 16)))
        #expect(errno == nil, "expected \(errno!.name), got success", sourceLocation: sourceLocation)
      } catch {
        #expect(error == errno, "expected \(errno?.name ?? "success"), got \(error)", sourceLocation: sourceLocation)
      }
      #expect(entryNum == expectNum, "entry_num", sourceLocation: sourceLocation)
    }
    let vdev = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    system(f).device.clearExecutedCommands()
    invalidate(.einval, [], num: 0, expectNum: 0)
    invalidate(.einval, type: arm + 1, [.atcInv(streamID: 0x99)], expectNum: 0)
    invalidate(.einval, type: IOMMUTest.viommuInvalidateDataType, [.atcInv(streamID: 0x99)], expectNum: 0)
    // A longer entry with a zero tail is accepted; 0 entry_len with entries is EINVAL.
    invalidate(nil, entryLength: 24, [.atcInv(streamID: 0x99)], expectNum: 1)
    invalidate(.einval, entryLength: 0, [.atcInv(streamID: 0x99)], expectNum: 0)
    // Unknown vSID in the 2nd entry: the 1st was converted.
    invalidate(.eio, [.atcInv(streamID: 0x99), .cfgiCD(streamID: 0x9)], expectNum: 1)
    // An opcode the vIOMMU does not take.
    invalidate(.eio, [.cfgiCDAll(streamID: 0x99), .sync()], expectNum: 1)
    invalidate(nil, [.cfgiCD(streamID: 0x99), .cfgiCDAll(streamID: 0x99), .atcInv(streamID: 0x99)], expectNum: 3)
    // The vSID was replaced by the physical StreamID.
    let atcs = system(f).device.executedCommands.filter { $0.opcode == .atcInv }
    #expect(!atcs.isEmpty && atcs.allSatisfy { $0.streamID == 0x100 })
    try ctx.destroy(vdev)
    f.teardown()
  }

  func system(_ f: Fixture) -> CMDQVSystem { f.system }

  /// hw_queue with LVCMDQs: the index limit is `num_lvcmdqs_per_vintf`;
  /// the half-page queue at index 1 is aligned to its length, as Tegra
  /// requires.
  @Test func hwQueue() throws {
    let f = try Fixture(.mockVIOMMU)
    try runHWQueueSequence(
      f.ctx, ioas: f.ioas, viommu: f.viommu, type: Tegra241IOMMUDriver.hwQueueTypeTegra241CMDQV,
      maxIndex: UInt32(f.system.cmdqv.numLVCMDQsPerVINTF), iova: Fixture.iova, bufferPA: Fixture.bufferPA)
    #expect(allocatedVCMDQs(f.system) == [0, 1])
    f.teardown()
  }

  /// vdevice_tombstone: unbinding the device tombstones its vDEVICE.
  @Test func vdeviceTombstone() throws {
    let f = try Fixture(.mockVIOMMU)
    let vdev = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try f.ctx.unbindDevice(f.device)
    expectErrno(.enoent) { try f.ctx.destroy(vdev) }
    #expect(f.ctx.tombstonedIDs == [vdev])
    f.teardown()
  }
}
