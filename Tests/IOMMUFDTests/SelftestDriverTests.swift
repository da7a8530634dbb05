import CMDQVRegisters
import IOMMUFD
import Testing

/// Each check of the selftest mock driver and of the `IOMMU_TEST_CMD` ops
/// (drivers/iommu/iommufd/selftest.c, v6.17), reached with the kernel's
/// errno; a failed operation leaves no object, ID, mock device or pin.
@Suite struct SelftestDriverTests {
  let page = IOAS.pageSize

  /// A fixture context plus what a failed call must leave unchanged.
  func snapshot(_ f: SelftestFixture) -> [String] {
    tableSnapshot(f.ctx) + f.driver.mockDevices.keys.sorted().map { "mock \($0)" }
      + f.ctx.mmapRegistry.map { "mmap \($0.offset)" }
  }

  @Test func opsWithoutTheMockDriverAreENOTTY() throws {
    let ctx = IOMMUFDContext(drivers: [MockIOMMU()])
    let ioas = try ctx.allocIOAS()
    expectErrno(.enotty) { try ctx.testMockDomain(pt: ioas) }
    expectErrno(.enotty) { try ctx.testMockDomainReplace(stdev: 1, pt: ioas) }
    expectErrno(.enotty) { try ctx.testSetTempMemoryLimit(65536) }
    expectErrno(.enotty) { try ctx.testCheckIOTLB(hwpt: 1, iotlbID: 0, expected: 0) }
    expectErrno(.enotty) { try ctx.testCheckDevCache(device: 1, cacheID: 0, expected: 0) }
    expectErrno(.enotty) { try ctx.testTriggerVEvent(device: 1) }
    #expect(ctx.testMemoryLimit == nil)
    #expect(ctx.liveObjectCount == 1)
  }

  @Test func mockDomainChecksAndUnwind() throws {
    let f = try SelftestFixture(.noVIOMMU)
    let ctx = f.ctx
    let before = snapshot(f)
    // mock_dev_create: unknown dev_flags.
    expectErrno(.einval) { try ctx.testMockDomain(pt: f.ioas, deviceFlags: IOMMUTest.DeviceFlags(rawValue: 1 << 3)) }
    // iommufd_device_attach: no object.
    expectErrno(.enoent) { try ctx.testMockDomain(pt: 99) }
    expectErrno(.enoent) { try ctx.testMockDomain(pt: 0) }
    #expect(snapshot(f) == before)
    // Fault injection on the SELFTEST object's allocation.
    ctx.failNextObjectAllocation = true
    expectErrno(.enomem) { try ctx.testMockDomain(pt: f.ioas) }
    #expect(snapshot(f) == before)
    // The IDs come out as in a fresh fixture.
    let md = try ctx.testMockDomain(pt: f.ioas, deviceFlags: .valid)
    #expect(md == SelftestMockDomain(stdevID: 2, hwptID: 4, idevID: 3))
    #expect(ctx.objectKinds[2] == .selftest && ctx.objectKinds[3] == .device && ctx.objectKinds[4] == .hwptPaging)
    #expect((ctx.object(4) as? HWPTPaging)?.isAutoDomain == true)
    let object = try #require(ctx.object(2) as? SelftestObject)
    #expect(object.mockDevice.name == "iommufd_mock0" && object.mockDevice.flags == .valid)
    #expect(object.mockDevice.cache == Array(repeating: IOMMUTest.devCacheDefault, count: 4))
    // The SELFTEST object holds the device: IOMMU_DESTROY(idev) is EBUSY,
    // even after a detach.
    expectErrno(.ebusy) { try ctx.destroy(md.idevID) }
    try ctx.detachDevice(md.idevID)
    expectErrno(.ebusy) { try ctx.destroy(md.idevID) }
    #expect(ctx.object(4) == nil)  // the auto domain went with its device
    // A second mock device attached to a given HWPT keeps that ID.
    let parent = try ctx.allocHWPT(device: md.idevID, pt: f.ioas, flags: .nestParent)
    let second = try ctx.testMockDomain(pt: parent)
    #expect(second.hwptID == parent)
    #expect(f.driver.mockDevices.count == 2)
    try ctx.destroy(second.stdevID)
    try ctx.destroy(md.stdevID)
    try ctx.destroy(parent)
    #expect(snapshot(f) == before)
    f.teardown()
  }

  @Test func dirtyTrackingFollowsTheDeviceFlags() throws {
    let f = try SelftestFixture(.noVIOMMU)
    let ctx = f.ctx
    let md = try ctx.testMockDomain(pt: f.ioas)
    #expect(try ctx.getHWInfo(device: md.idevID).capabilities == 1)
    let dirty = try ctx.allocHWPT(device: md.idevID, pt: f.ioas, flags: .dirtyTracking)
    #expect((ctx.object(dirty) as? HWPTPaging)?.isDirtyTracking == true)
    // mock_domain_alloc_paging_flags: user data.
    expectErrno(.eopnotsupp) {
      try ctx.allocHWPT(device: md.idevID, pt: f.ioas, data: HWPTUserData(type: 1, bytes: [0, 0, 0, 0]))
    }
    let before = snapshot(f)
    // mock_domain_nop_attach: dirty ops on a NO_DIRTY device.
    expectErrno(.einval) { try ctx.testMockDomain(pt: dirty, deviceFlags: .noDirty) }
    #expect(snapshot(f) == before)
    let noDirty = try ctx.testMockDomain(pt: f.ioas, deviceFlags: .noDirty)
    #expect(try ctx.getHWInfo(device: noDirty.idevID).capabilities == 0)
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: noDirty.idevID, pt: f.ioas, flags: .dirtyTracking) }
    try ctx.destroy(noDirty.stdevID)
    try ctx.destroy(md.stdevID)
    try ctx.destroy(dirty)
    f.teardown()
  }

  @Test func hwInfo() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let info = try f.ctx.getHWInfo(device: f.device)
    #expect(info.type == IOMMUTest.hwInfoType)
    #expect(info.data == [0, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde])
    #expect(try f.ctx.getHWInfo(device: f.device, type: IOMMUTest.hwInfoType) == info)
    expectErrno(.eopnotsupp) { try f.ctx.getHWInfo(device: f.device, type: 2) }
    f.teardown()
  }

  @Test func mockDomainReplaceChecks() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    expectErrno(.enoent) { try ctx.testMockDomainReplace(stdev: f.device, pt: f.ioas) }
    expectErrno(.enoent) { try ctx.testMockDomainReplace(stdev: 99, pt: f.ioas) }
    expectErrno(.einval) { try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.viommu) }
    // iommufd_device_attach to a vIOMMU: EINVAL, and nothing is left.
    let before = snapshot(f)
    expectErrno(.einval) { try ctx.testMockDomain(pt: f.viommu) }
    #expect(snapshot(f) == before)
    #expect(try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.hwpt) == f.hwpt)
    #expect(ctx.object(4) == nil)
    f.teardown()
  }

  @Test func memoryLimit() throws {
    let f = try SelftestFixture(.noVIOMMU)
    expectErrno(.einval) { try f.ctx.testSetTempMemoryLimit(11) }
    #expect(f.ctx.testMemoryLimit == 65536)
    try f.ctx.testSetTempMemoryLimit(12)
    #expect(f.ctx.testMemoryLimit == 12)
    // sizeof(unsigned long) + sizeof(u32) on a 32-bit kernel.
    let ctx32 = IOMMUFDContext(drivers: [SelftestIOMMUDriver()], unsignedLongBits: 32)
    expectErrno(.einval) { try ctx32.testSetTempMemoryLimit(7) }
    try ctx32.testSetTempMemoryLimit(8)
  }

  @Test func checkIOTLB() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    for id in 0..<4 as Range<UInt32> {
      try ctx.testCheckIOTLB(hwpt: f.nestedHWPT, iotlbID: id, expected: IOMMUTest.iotlbDefault)
    }
    expectErrno(.enoent) { try ctx.testCheckIOTLB(hwpt: f.hwpt, iotlbID: 0, expected: IOMMUTest.iotlbDefault) }
    expectErrno(.enoent) { try ctx.testCheckIOTLB(hwpt: 99, iotlbID: 0, expected: IOMMUTest.iotlbDefault) }
    expectErrno(.einval) { try ctx.testCheckIOTLB(hwpt: f.nestedHWPT, iotlbID: 4, expected: IOMMUTest.iotlbDefault) }
    expectErrno(.einval) { try ctx.testCheckIOTLB(hwpt: f.nestedHWPT, iotlbID: 0, expected: 0) }
    f.teardown()
  }

  @Test func checkIOTLBOfAnotherDriversNestedDomainIsEINVAL() throws {
    let mock = SelftestIOMMUDriver()
    let other = MockIOMMU(streamIDs: 0x100...0x1FF)
    let ctx = IOMMUFDContext(drivers: [mock, other])
    other.context = ctx
    let ioas = try ctx.allocIOAS()
    let device = try ctx.bindDevice(streamIDs: [0x100])
    let parent = try ctx.allocHWPT(device: device, pt: ioas, flags: .nestParent)
    let viommu = try ctx.allocVIOMMU(device: device, hwpt: parent, type: IOMMUTest.viommuType).id
    // The test driver's nested domain is not a SelftestNestedDomain.
    other.viommus[0].nestedDomainsLackUserInvalidation = true
    let nested = try ctx.allocHWPT(device: device, pt: viommu, data: .selftest())
    expectErrno(.einval) { try ctx.testCheckIOTLB(hwpt: nested, iotlbID: 0, expected: IOMMUTest.iotlbDefault) }
    // DEV_CHECK_CACHE and TRIGGER_VEVENT on a device that is not a mock device.
    expectErrno(.einval) { try ctx.testCheckDevCache(device: device, cacheID: 0, expected: IOMMUTest.devCacheDefault) }
    expectErrno(.einval) { try ctx.testTriggerVEvent(device: device) }
    // A nesting parent of another IOMMU cannot back a mock vIOMMU.
    let md = try ctx.testMockDomain(pt: ioas)
    expectErrno(.einval) { try ctx.allocVIOMMU(device: md.idevID, hwpt: parent, type: IOMMUTest.viommuType) }
    // StreamIDs are per IOMMU: the mock device's StreamID 0 does not clash.
    #expect(mock.ownsStreamID(0) && !mock.ownsStreamID(0x100))
    #expect(ctx.close().isClean)
  }

  /// StreamIDs are per IOMMU: a mock device's StreamID does not keep
  /// another IOMMU's device with the same StreamID from binding; within one
  /// IOMMU a StreamID binds once (`EBUSY`).
  @Test func streamIDsArePerIOMMUAtBind() throws {
    let mock = SelftestIOMMUDriver()
    let other = MockIOMMU(streamIDs: 0...0xFF)
    let ctx = IOMMUFDContext(drivers: [other, mock])
    other.context = ctx
    let ioas = try ctx.allocIOAS()
    let md = try ctx.testMockDomain(pt: ioas)
    #expect((ctx.object(md.idevID) as? IOMMUFDDevice)?.streamIDs == [0])
    let device = try ctx.bindDevice(streamIDs: [0])
    #expect((ctx.object(device) as? IOMMUFDDevice)?.driver === other)
    expectErrno(.ebusy) { try ctx.bindDevice(streamIDs: [0]) }
    #expect(ctx.close().isClean)
  }

  @Test func checkDevCache() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    for id in 0..<4 as Range<UInt32> {
      try ctx.testCheckDevCache(device: f.device, cacheID: id, expected: IOMMUTest.devCacheDefault)
    }
    expectErrno(.enoent) { try ctx.testCheckDevCache(device: f.stdev, cacheID: 0, expected: IOMMUTest.devCacheDefault) }
    expectErrno(.einval) { try ctx.testCheckDevCache(device: f.device, cacheID: 4, expected: IOMMUTest.devCacheDefault) }
    expectErrno(.einval) { try ctx.testCheckDevCache(device: f.device, cacheID: 0, expected: 0) }
    f.teardown()
  }

  @Test func triggerVEventChecks() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    expectErrno(.enoent) { try ctx.testTriggerVEvent(device: 99) }
    // On its auto domain: no vIOMMU.
    expectErrno(.enoent) { try ctx.testTriggerVEvent(device: f.device) }
    _ = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.nestedHWPT)
    let mock = try #require(f.driver.mockDevices[0])
    #expect(mock.viommu?.viommu.id == f.viommu && mock.vdevID == 0x99)
    // No vEVENTQ of the selftest type.
    expectErrno(.eopnotsupp) { try ctx.testTriggerVEvent(device: f.device) }
    let queue = try ctx.allocVEventQueue(viommu: f.viommu, type: IOMMUTest.veventqType, depth: 1)
    try ctx.testTriggerVEvent(device: f.device)
    #expect(selftestVirtIDs(try ctx.readEvents(queue)) == [0x99])
    // A detach (the blocking domain) leaves the vIOMMU.
    try ctx.detachDevice(f.device)
    #expect(mock.viommu == nil && mock.vdevID == 0)
    expectErrno(.enoent) { try ctx.testTriggerVEvent(device: f.device) }
    f.teardown()
  }

  @Test func reattachUnderTheSameVIOMMUKeepsTheOldVDevID() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    let second = try ctx.allocHWPT(device: f.device, pt: f.viommu, data: .selftest(iotlb: 1))
    let vdev = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.nestedHWPT)
    try ctx.destroy(vdev)
    _ = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x77)
    // mock_domain_nop_attach updates vdev_id only when the vIOMMU changes.
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: second)
    #expect(f.driver.mockDevices[0]?.vdevID == 0x99)
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.ioas)
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: second)
    #expect(f.driver.mockDevices[0]?.vdevID == 0x77)
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.ioas)
    f.teardown()
  }

  @Test(arguments: [1, 7, 25, 32])
  func viommuDataLengthOutside8To24IsEINVAL(length: Int) throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let before = snapshot(f)
    expectErrno(.einval) {
      try f.ctx.allocVIOMMU(
        device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType, data: [UInt8](repeating: 0, count: length))
    }
    #expect(snapshot(f) == before)
    f.teardown()
  }

  @Test(arguments: [8, 12, 16, 24])
  func viommuDataIsCopiedBackToTheUsersLength(length: Int) throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let input = SelftestVIOMMUData(inData: 0x1234_5678).bytes(length: length)
    let allocation = try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType, data: input)
    #expect(allocation.data.count == length)
    // copy_struct_to_user writes data_len bytes: fields past it are cut,
    // a field it splits is partly written.
    let full = SelftestVIOMMUData(
      inData: 0x1234_5678, outData: 0x1234_5678, outMMapOffset: try #require(f.ctx.mmapRegistry.last?.offset),
      outMMapLength: 2 * page)
    #expect(allocation.data == Array(full.bytes.prefix(length)))
    #expect(allocation.selftest == SelftestVIOMMUData(bytes: Array(full.bytes.prefix(length))))
    let mock = try #require(f.ctx.object(allocation.id).flatMap { ($0 as? VIOMMU)?.ops as? SelftestVIOMMU })
    #expect(mock.page.count == 2048 && mock.page[0] == 0x1234_5678)
    // Two vIOMMUs with data get different pages.
    let again = try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType, data: input)
    let mock2 = try #require(f.ctx.object(again.id).flatMap { ($0 as? VIOMMU)?.ops as? SelftestVIOMMU })
    #expect(mock2.pageAddress == mock.pageAddress.map { $0 + 2 * page })
    #expect(f.driver.read32(physicalAddress: mock2.pageAddress! + 4) == 0)
    #expect(f.driver.read32(physicalAddress: f.driver.pageBase + 8 * page) == nil)
    try f.ctx.destroy(allocation.id)
    #expect(f.driver.read32(physicalAddress: mock.pageAddress ?? f.driver.pageBase) == nil)
    f.teardown()
  }

  @Test func nestedDomainDataChecks() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let before = snapshot(f)
    expectErrno(.eopnotsupp) {
      try f.ctx.allocHWPT(device: f.device, pt: f.viommu, data: HWPTUserData(type: 0xbeef, bytes: [0, 0, 0, 0]))
    }
    expectErrno(.einval) {
      try f.ctx.allocHWPT(device: f.device, pt: f.viommu, data: HWPTUserData(type: IOMMUTest.hwptDataType, bytes: [1, 2, 3]))
    }
    expectErrno(.einval) {
      try f.ctx.allocHWPT(
        device: f.device, pt: f.viommu, data: HWPTUserData(type: IOMMUTest.hwptDataType, bytes: [1, 2, 3, 4, 5]))
    }
    #expect(snapshot(f) == before)
    let pasid = try f.ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .pasid, data: .selftest(iotlb: 7))
    try f.ctx.testCheckIOTLB(hwpt: pasid, iotlbID: 3, expected: 7)
    // The driver itself refuses any flag but PASID (the core already does).
    let ops = try #require((f.ctx.object(f.viommu) as? VIOMMU)?.ops)
    let vi = try #require(f.ctx.object(f.viommu) as? VIOMMU)
    expectErrno(.eopnotsupp) { try ops.allocDomainNested(vi, flags: .nestParent, data: .selftest()) }
    f.teardown()
  }

  @Test func smmuCommandsAreNotTheMocksInvalidationType() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    var entryNum = -1
    expectErrno(.einval) { try f.ctx.invalidate(hwpt: f.viommu, commands: [.tlbiNHAll()], entryNum: &entryNum) }
    #expect(entryNum == 0)
    expectErrno(.einval) { try f.ctx.invalidate(hwpt: f.viommu, commands: [], entryNum: &entryNum) }
    #expect(entryNum == 0)
    f.teardown()
  }

  /// `mock_hw_queue_init_phys`'s EFAULT catches a core that hands it a PA
  /// other than the nesting parent's translation; the core does not, so the
  /// driver is called directly with a wrong PA.
  @Test func hwQueueInitWithAWrongPhysicalAddressIsEFAULT() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    try f.mapBufferPage(0, at: IOMMUTest.apertureStart)
    let queue0 = try f.ctx.allocHWQueue(
      viommu: f.viommu, type: IOMMUTest.hwQueueType, index: 0, nestingParentIOVA: IOMMUTest.apertureStart, length: page)
    let queue = try #require(f.ctx.object(queue0) as? HWQueue)
    #expect(queue.basePhysicalAddress == SelftestFixture.bufferPA)
    let vi = try #require(f.ctx.object(f.viommu) as? VIOMMU)
    let mock = try #require(vi.ops as? SelftestVIOMMU)
    expectErrno(.efault) { try mock.hwQueueInitPhys(queue, index: 1, basePhysicalAddress: queue.basePhysicalAddress + 8) }
    #expect(mock.hwQueues[1] == nil)
    #expect(f.ctx.users(of: queue0) == 1)
    #expect(mock.hwQueueSize(vi, type: 1) == 0)
    try f.ctx.destroy(queue0)
    f.teardown()
  }
}

/// The example of Docs/Driver.md (selftest mock driver), statement for
/// statement.
@Suite struct SelftestDocTests {
  @Test func driverDocSelftestExample() throws {
    let ctx = IOMMUFDContext(drivers: [SelftestIOMMUDriver()])
    let ioas = try ctx.allocIOAS()
    let md = try ctx.testMockDomain(pt: ioas)
    #expect(ioas == 1 && md == SelftestMockDomain(stdevID: 2, hwptID: 4, idevID: 3))
    let parent = try ctx.allocHWPT(device: md.idevID, pt: ioas, flags: .nestParent)
    let viommu = try ctx.allocVIOMMU(device: md.idevID, hwpt: parent, type: IOMMUTest.viommuType).id
    let nested = try ctx.allocHWPT(device: md.idevID, pt: viommu, data: .selftest())
    _ = try ctx.allocVDevice(viommu: viommu, device: md.idevID, virtID: 0x99)
    try ctx.testMockDomainReplace(stdev: md.stdevID, pt: nested)
    var entryNum = 0
    try ctx.invalidate(
      hwpt: viommu, entries: [SelftestVIOMMUInvalidation(vdevID: 0x99, cacheID: 1)], entryNum: &entryNum)
    #expect(entryNum == 1)
    try ctx.testCheckDevCache(device: md.idevID, cacheID: 1, expected: 0)
    try ctx.testCheckIOTLB(hwpt: nested, iotlbID: 0, expected: IOMMUTest.iotlbDefault)
    #expect(ctx.close().isClean)
  }
}
