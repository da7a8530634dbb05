import IOMMUFD
import Testing

/// `iommufd_viommu_alloc_ioctl` (viommu.c, v6.17), every check in order.
struct VIOMMUAllocTests {
  @Test func row1FlagsOrDefaultType() throws {
    let f = try Fixture(withVIOMMU: false)
    expectErrno(.eopnotsupp) { try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType, flags: 1) }
    expectErrno(.eopnotsupp) { try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: 0) }
    // Row 1 comes before row 2.
    expectErrno(.eopnotsupp) { try f.ctx.allocVIOMMU(device: 999, hwpt: f.hwpt, type: 0) }
  }

  @Test func row2BadDevice() throws {
    let f = try Fixture(withVIOMMU: false)
    expectErrno(.enoent) { try f.ctx.allocVIOMMU(device: 999, hwpt: f.hwpt, type: IOMMUTest.viommuType) }
    expectErrno(.enoent) { try f.ctx.allocVIOMMU(device: f.ioas, hwpt: f.hwpt, type: IOMMUTest.viommuType) }
  }

  @Test func row3NoViommuOps() throws {
    let f = try Fixture(withVIOMMU: false) { $0.supportsVIOMMU = false }
    expectErrno(.eopnotsupp) { try f.ctx.allocVIOMMU(device: f.device, hwpt: 999, type: IOMMUTest.viommuType) }
  }

  @Test func row4UnsupportedType() throws {
    let f = try Fixture(withVIOMMU: false)
    expectErrno(.eopnotsupp) { try f.ctx.allocVIOMMU(device: f.device, hwpt: 999, type: 2) }
  }

  @Test func row5SizeBelowCore() throws {
    let f = try Fixture(withVIOMMU: false) { $0.viommuSizeOverride = VIOMMU.coreStructSize - 1 }
    expectErrno(.eopnotsupp) { try f.ctx.allocVIOMMU(device: f.device, hwpt: 999, type: IOMMUTest.viommuType) }
    #expect(f.ctx.warnings.count == 1)
  }

  @Test func row6HWPTNotPaging() throws {
    let f = try Fixture(withVIOMMU: false)
    expectErrno(.enoent) { try f.ctx.allocVIOMMU(device: f.device, hwpt: 999, type: IOMMUTest.viommuType) }
    expectErrno(.enoent) { try f.ctx.allocVIOMMU(device: f.device, hwpt: f.ioas, type: IOMMUTest.viommuType) }
  }

  @Test func row7NotNestParent() throws {
    let f = try Fixture(withVIOMMU: false)
    let plain = try f.ctx.allocHWPT(device: f.device, ioas: f.ioas)
    #expect((f.ctx.object(plain) as? HWPTPaging)?.vmid == nil)
    expectErrno(.einval) { try f.ctx.allocVIOMMU(device: f.device, hwpt: plain, type: IOMMUTest.viommuType) }
  }

  @Test func row8InitFailsAndAborts() throws {
    let f = try Fixture(withVIOMMU: false) { $0.viommuInitError = Errno.etimedout("mock: VINTF enable timeout") }
    let before = f.ctx.objectKinds
    expectErrno(.etimedout) { try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType) }
    #expect(f.ctx.objectKinds == before)
    #expect(f.ctx.users(of: f.hwpt) == 1)
    #expect(f.ctx.mmapRegistry.isEmpty)
  }

  @Test func row8InitOnAnotherIOMMUsHWPT() throws {
    let a = MockIOMMU(name: "smmu0", streamIDs: 0...0xF)
    let b = MockIOMMU(name: "smmu1", streamIDs: 0x10...0x1F, mmioBase: 0x2_0000_0000)
    let ctx = IOMMUFDContext(drivers: [a, b])
    let devA = try ctx.bindDevice(streamIDs: [1])
    let devB = try ctx.bindDevice(streamIDs: [0x11])
    let ioas = try ctx.allocIOAS()
    let hwptA = try ctx.allocHWPT(device: devA, ioas: ioas, nestParent: true)
    expectErrno(.einval) { try ctx.allocVIOMMU(device: devB, hwpt: hwptA, type: IOMMUTest.viommuType) }
  }

  @Test func row9InitLeavesOpsNil() throws {
    let f = try Fixture(withVIOMMU: false) { $0.viommuInitLeavesOpsNil = true }
    expectErrno(.eopnotsupp) { try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType) }
    #expect(f.ctx.users(of: f.hwpt) == 1)
    #expect(f.ctx.liveObjectCount == 3)
  }

  @Test func successHoldsTheHWPTAndReturnsDriverOutput() throws {
    let f = try Fixture(withVIOMMU: false)
    let allocation = try f.ctx.allocVIOMMU(
      device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType, data: [1, 2, 3, 4])
    #expect(allocation.id == 4)
    #expect(allocation.type == IOMMUTest.viommuType)
    #expect(f.mmapRegion.offset == IOAS.pageSize)
    #expect(allocation.data == [1, 2, 3, 4])
    #expect(f.ctx.users(of: f.hwpt) == 2)
    let viommu = try #require(f.ctx.object(allocation.id) as? VIOMMU)
    #expect(viommu.hwpt.vmid == 1)
    try f.ctx.destroy(allocation.id)
    #expect(f.iommu.viommus[0].destroyed)
    #expect(f.ctx.users(of: f.hwpt) == 1)
    #expect(f.ctx.mmapRegistry.isEmpty)
  }

  @Test func nestParentsGetDistinctVMIDsAndFreeThem() throws {
    let f = try Fixture(withVIOMMU: false)
    let second = try f.ctx.allocHWPT(device: f.device, ioas: f.ioas, nestParent: true)
    #expect((f.ctx.object(f.hwpt) as? HWPTPaging)?.vmid == 1)
    #expect((f.ctx.object(second) as? HWPTPaging)?.vmid == 2)
    try f.ctx.destroy(f.hwpt)
    let third = try f.ctx.allocHWPT(device: f.device, ioas: f.ioas, nestParent: true)
    #expect((f.ctx.object(third) as? HWPTPaging)?.vmid == 1)
  }

  @Test func vmidExhaustionIsENOSPC() throws {
    let iommu = MockIOMMU(vmidBits: 1)
    let ctx = IOMMUFDContext(drivers: [iommu])
    let dev = try ctx.bindDevice(streamIDs: [1])
    let ioas = try ctx.allocIOAS()
    _ = try ctx.allocHWPT(device: dev, ioas: ioas, nestParent: true)
    expectErrno(.enospc) { try ctx.allocHWPT(device: dev, ioas: ioas, nestParent: true) }
    #expect(ctx.liveObjectCount == 3)
    #expect(ctx.reservedIDs.isEmpty)
  }

  @Test func viommuDestroyIsBusyWhileAnythingHoldsIt() throws {
    let f = try Fixture()
    let nested = try f.ctx.allocHWPT(device: f.device, pt: f.viommu, data: .selftest())
    #expect(f.ctx.objectKinds[nested] == .hwptNested)
    expectErrno(.ebusy) { try f.ctx.destroy(f.viommu) }
    try f.ctx.destroy(nested)
    let veq = try f.ctx.allocVEventQueue(viommu: f.viommu, type: IOMMUTest.veventqType, depth: 2)
    expectErrno(.ebusy) { try f.ctx.destroy(f.viommu) }
    try f.ctx.destroy(veq)
    let vdev = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 1)
    expectErrno(.ebusy) { try f.ctx.destroy(f.viommu) }
    try f.ctx.destroy(vdev)
    let q = try f.allocQueue(index: 0)
    expectErrno(.ebusy) { try f.ctx.destroy(f.viommu) }
    try f.ctx.destroy(q)
    let mapping = try f.ctx.mmap(offset: f.mmapRegion.offset, length: f.mmapRegion.length)
    expectErrno(.ebusy) { try f.ctx.destroy(f.viommu) }
    mapping.munmap()
    try f.ctx.destroy(f.viommu)
  }

  @Test func hwptAllocChecks() throws {
    let f = try Fixture()
    expectErrno(.eopnotsupp) { try f.ctx.allocHWPT(device: f.device, ioas: f.ioas, flags: 2) }
    expectErrno(.enoent) { try f.ctx.allocHWPT(device: 999, ioas: f.ioas) }
    // A pt_id that names nothing is EINVAL, not ENOENT (iommufd_hwpt_alloc).
    expectErrno(.einval) { try f.ctx.allocHWPT(device: f.device, ioas: 999) }
    // Nested on a HWPT_PAGING: arm-smmu-v3 has no domain_alloc_nested.
    expectErrno(.eopnotsupp) { try f.ctx.allocHWPT(device: f.device, ioas: f.hwpt) }
    expectErrno(.eopnotsupp) { try f.ctx.allocHWPT(device: f.device, ioas: f.viommu, nestParent: true) }
    f.mock.supportsNestedDomains = false
    expectErrno(.eopnotsupp) { try f.ctx.allocHWPT(device: f.device, pt: f.viommu, data: .selftest()) }
  }

  @Test func bindChecks() throws {
    let ctx = IOMMUFDContext(drivers: [MockIOMMU(streamIDs: 0...0xF)])
    expectErrno(.einval) { try ctx.bindDevice(streamIDs: []) }
    expectErrno(.enodev) { try ctx.bindDevice(streamIDs: [0x20]) }
    expectErrno(.enodev) { try ctx.bindDevice(streamIDs: [1, 0x20]) }
    let dev = try ctx.bindDevice(streamIDs: [1, 2])
    expectErrno(.ebusy) { try ctx.bindDevice(streamIDs: [2]) }
    try ctx.unbindDevice(dev)
    #expect(try ctx.bindDevice(streamIDs: [2]) == dev)
  }

  @Test func hwInfoDispatchesToTheDriver() throws {
    let f = try Fixture(withVIOMMU: false)
    expectErrno(.enoent) { try f.ctx.getHWInfo(device: 999) }
    let info = try f.ctx.getHWInfo(device: f.device)
    #expect(info.type == IOMMUTest.hwInfoType)
    #expect(info.data.count == 8)
    #expect(try f.ctx.getHWInfo(device: f.device, type: IOMMUTest.hwInfoType) == info)
    #expect(throws: Errno.eopnotsupp) { try f.ctx.getHWInfo(device: f.device, type: 3) }
  }
}

/// The driver's output reaches the caller only through its data buffer, as
/// `iommu_copy_struct_to_user` writes it (include/linux/iommu.h, v6.17).
@Suite struct VIOMMUDriverOutputTests {
  @Test func outputOverwritesTheStartOfTheBuffer() throws {
    let f = try Fixture(withVIOMMU: false) { $0.viommuOutput = [9, 9] }
    let allocation = try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType, data: [1, 2, 3, 4])
    #expect(allocation.data == [9, 9, 3, 4])
    #expect(f.ctx.warnings.isEmpty)
  }

  @Test func outputLongerThanTheBufferIsCutWithAWarning() throws {
    let f = try Fixture(withVIOMMU: false) { $0.viommuOutput = [9, 9, 9, 9, 9, 9] }
    let allocation = try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType, data: [1, 2, 3, 4])
    #expect(allocation.data == [9, 9, 9, 9])
    #expect(f.ctx.warnings.contains { $0.contains("6 bytes into a 4-byte buffer") })
    let none = try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType)
    #expect(none.data.isEmpty)
  }

  @Test func typedViewsCheckTypeAndSize() throws {
    let tegra = Tegra241VIOMMUData(vintfMMapOffset: 0x1000, vintfMMapLength: 0x10000)
    #expect(Tegra241VIOMMUData(bytes: tegra.bytes) == tegra)
    #expect(Tegra241VIOMMUData(bytes: Array(tegra.bytes.dropLast())) == nil)
    #expect(VIOMMUAllocation(id: 1, type: 2, data: tegra.bytes).tegra241 == tegra)
    #expect(VIOMMUAllocation(id: 1, type: IOMMUTest.viommuType, data: tegra.bytes).tegra241 == nil)
  }
}
