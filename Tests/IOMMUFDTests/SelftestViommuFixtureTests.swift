import IOMMUFD
import Testing

/// Every sequence of the kernel's `iommufd_viommu` fixture
/// (tools/testing/selftests/iommu/iommufd.c, v6.17) step by step, against
/// the library's selftest mock driver with the kernel's constants and errno.
/// The `no_viommu` variant runs where the kernel test does not SKIP it.
@Suite struct SelftestViommuFixtureTests {
  typealias Variant = SelftestFixture.Variant
  let page = IOAS.pageSize

  /// TEST_F(iommufd_viommu, viommu_auto_destroy): setup, then the fd's
  /// close releases everything.
  @Test(arguments: Variant.allCases)
  func viommuAutoDestroy(variant: Variant) throws {
    let f = try SelftestFixture(variant)
    f.teardown()
  }

  /// TEST_F(iommufd_viommu, viommu_negative_tests).
  @Test(arguments: Variant.allCases)
  func viommuNegativeTests(variant: Variant) throws {
    let f = try SelftestFixture(variant)
    let ctx = f.ctx
    if f.device != 0 {
      // Invalid hwpt (hwpt_id=0).
      expectErrno(.enoent) { try ctx.allocVIOMMU(device: f.device, hwpt: 0, type: IOMMUTest.viommuType) }
      // Not a nesting parent hwpt.
      let hwpt = try ctx.allocHWPT(device: f.device, pt: f.ioas, flags: [])
      expectErrno(.einval) { try ctx.allocVIOMMU(device: f.device, hwpt: hwpt, type: IOMMUTest.viommuType) }
      try ctx.destroy(hwpt)
      // Unsupported viommu type.
      expectErrno(.eopnotsupp) { try ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: 0xdead) }
      expectErrno(.ebusy) { try ctx.destroy(f.hwpt) }
      expectErrno(.ebusy) { try ctx.destroy(f.viommu) }
    } else {
      expectErrno(.enoent) { try ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType) }
    }
    f.teardown()
  }

  /// TEST_F(iommufd_viommu, viommu_alloc_nested_iopf).
  @Test func viommuAllocNestedIOPF() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    let data = HWPTUserData.selftest(iotlb: IOMMUTest.iotlbDefault)
    let fault = try ctx.allocFaultQueue()
    expectErrno(.enoent) {
      try ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .faultIDValid, data: data, faultID: UInt32.max)
    }
    expectErrno(.eopnotsupp) {
      try ctx.allocHWPT(
        device: f.device, pt: f.viommu, flags: [.faultIDValid, HWPTAllocFlags(rawValue: 1 << 31)], data: data,
        faultID: fault)
    }
    let iopfHWPT = try ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .faultIDValid, data: data, faultID: fault)
    #expect([fault, iopfHWPT] == [8, 9])
    // Must allocate vdevice before attaching to a nested hwpt.
    expectErrno(.enoent) { try ctx.testMockDomainReplace(stdev: f.stdev, pt: iopfHWPT) }
    let vdev = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    #expect(vdev == 10)
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: iopfHWPT)
    expectErrno(.ebusy) { try ctx.destroy(iopfHWPT) }
    // test_cmd_trigger_iopf(dev_id, fault_fd): trigger (pasid 1), read one
    // record, answer it with its cookie.
    try ctx.testTriggerIOPF(
      device: f.device, pasid: 0x1, grpid: 0x2, perm: PageFault.permRead | PageFault.permWrite, addr: 0xdead_beaf)
    let record = try ctx.read(fault: fault, count: PageFault.recordSize)
    #expect(
      record
        == PageFault(flags: PageFault.flagPASIDValid | PageFault.flagLastPage, pasid: 1, grpid: 2, perm: 3, addr: 0xdead_beaf)
        .record(deviceID: f.device, cookie: 1))
    let cookie = Array(record[36..<40])
    #expect(try ctx.write(fault: fault, bytes: cookie + [0, 0, 0, 0]) == 8)
    let device = try #require(ctx.object(f.device) as? IOMMUFDDevice)
    #expect(device.pageResponses == [PageResponse(grpid: 2, pasid: 1, code: .success)])
    // Back to the IOAS: the auto-domain HWPT 4 went away with its device,
    // so the new one takes the lowest free ID, 4 again.
    #expect(try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.ioas) == 4)
    try ctx.destroy(iopfHWPT)
    try ctx.closeFaultQueueFile(fault)
    try ctx.destroy(fault)
    f.teardown()
  }

  /// TEST_F(iommufd_viommu, viommu_alloc_with_data).
  @Test func viommuAllocWithData() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    let input = SelftestVIOMMUData(inData: 0xbeef)
    let allocation = try ctx.allocVIOMMU(
      device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType, data: input.bytes)
    let data = try #require(allocation.selftest)
    #expect(allocation.data.count == SelftestVIOMMUData.size)
    #expect(data.outData == data.inData)
    #expect(data.outMMapLength == 2 * page)
    #expect(data.outMMapOffset == f.ctx.mmapRegistry.last?.offset && data.outMMapOffset != 0)
    // Negative mmap tests: offset and length cannot be changed.
    expectErrno(.enxio) { try ctx.mmap(offset: data.outMMapOffset + page, length: data.outMMapLength) }
    expectErrno(.enxio) { try ctx.mmap(offset: data.outMMapOffset + 2 * page, length: data.outMMapLength) }
    expectErrno(.enxio) { try ctx.mmap(offset: data.outMMapOffset, length: data.outMMapLength / 2) }
    expectErrno(.enxio) { try ctx.mmap(offset: data.outMMapOffset, length: data.outMMapLength * 2) }
    // A correct mmap for the loopback test.
    let mapping = try ctx.mmap(offset: data.outMMapOffset, length: data.outMMapLength)
    #expect(f.driver.read32(physicalAddress: mapping.physicalAddress) == data.inData)
    // The owner of the mmap region is blocked.
    expectErrno(.ebusy) { try ctx.destroy(allocation.id) }
    mapping.munmap()
    f.teardown()
  }

  /// TEST_F(iommufd_viommu, vdevice_alloc).
  @Test(arguments: Variant.allCases)
  func vdeviceAlloc(variant: Variant) throws {
    let f = try SelftestFixture(variant)
    let ctx = f.ctx
    guard f.device != 0 else {
      expectErrno(.enoent) { try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99) }
      f.teardown()
      return
    }
    var previousSequence: Int64 = -1
    /// `_test_cmd_read_vevents` (tools/testing/selftests/iommu/
    /// iommufd_utils.h, v6.17): one `read()` of `count` records of
    /// 8 + 4 bytes into a zeroed buffer, walked in 12-byte strides; a
    /// LOST_EVENTS header or a sequence jump > 1 is the helper's own
    /// EOVERFLOW (after taking that sequence), a wrong `virt_id` (of the
    /// first record, as the helper reads it) its EINVAL.
    func readVEvents(
      _ queue: UInt32, _ count: Int, virtID: UInt32, overflow: Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
      let stride = 8 + 4
      let read = try ctx.read(veventq: queue, count: count * stride)
      #expect(!read.isEmpty, "read returned nothing (the helper's EFAULT)", sourceLocation: sourceLocation)
      let data = read + [UInt8](repeating: 0, count: count * stride - read.count)
      func le32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[at + $1]) << UInt32(8 * $1) } }
      var sawOverflow = false
      for i in 0..<count {
        let flags = le32(i * stride)
        let sequence = Int64(le32(i * stride + 4))
        if flags & 1 != 0 || sequence - previousSequence > 1 {
          previousSequence = sequence
          sawOverflow = true
          break
        }
        previousSequence = sequence
        #expect(le32(8) == virtID, "virt_id", sourceLocation: sourceLocation)
      }
      #expect(sawOverflow == overflow, "\(read)", sourceLocation: sourceLocation)
    }
    // Must allocate vdevice before attaching to a nested hwpt.
    expectErrno(.enoent) { try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.nestedHWPT) }
    // A vEVENTQ with veventq_depth=2.
    let veventq = try ctx.allocVEventQueue(viommu: f.viommu, type: IOMMUTest.veventqType, depth: 2)
    expectErrno(.eexist) { try ctx.allocVEventQueue(viommu: f.viommu, type: IOMMUTest.veventqType, depth: 2) }
    // vdev_id 0x99, unset it, then 0x88.
    var vdev = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.nestedHWPT)
    try ctx.testTriggerVEvent(device: f.device)
    try readVEvents(veventq, 1, virtID: 0x99, overflow: false)
    expectErrno(.eexist) { try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99) }
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.ioas)
    try ctx.destroy(vdev)
    // Again with 0x88.
    vdev = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x88)
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.nestedHWPT)
    // An overflow with three events.
    for _ in 0..<3 { try ctx.testTriggerVEvent(device: f.device) }
    try readVEvents(veventq, 3, virtID: 0x88, overflow: true)
    // The overflow is gone after the previous reads.
    try ctx.testTriggerVEvent(device: f.device)
    try readVEvents(veventq, 1, virtID: 0x88, overflow: false)
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.ioas)
    try ctx.destroy(vdev)
    try ctx.destroy(veventq)
    f.teardown()
  }

  /// TEST_F(iommufd_viommu, vdevice_cache): `IOMMU_HWPT_INVALIDATE` on the
  /// vIOMMU with `struct iommu_viommu_invalidate_selftest` arrays, at byte
  /// level (`inv_reqs[2]`, `data_type`, `entry_len`, `entry_num` in/out).
  @Test func vdeviceCache() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    let selftest = IOMMUTest.viommuInvalidateDataType
    let size = UInt32(SelftestVIOMMUInvalidation.size)
    var reqs = [SelftestVIOMMUInvalidation(vdevID: 0), SelftestVIOMMUInvalidation(vdevID: 0)]
    func invalidate(
      _ errno: Errno?, type: UInt32, entryLength: UInt32, num: UInt32, data: Bool = true, expectNum: UInt32,
      sourceLocation: SourceLocation = #_sourceLocation
    ) {
      var entryNum = num
      let bytes = data ? reqs.flatMap(\.bytes) : nil
      do {
        try ctx.invalidate(hwpt: f.viommu, dataType: type, entryLength: entryLength, entryNum: &entryNum, data: bytes)
        #expect(errno == nil, "expected \(errno!.name), got success", sourceLocation: sourceLocation)
      } catch {
        #expect(error == errno, "expected \(errno?.name ?? "success"), got \(error)", sourceLocation: sourceLocation)
      }
      #expect(entryNum == expectNum, "entry_num", sourceLocation: sourceLocation)
    }
    func checkCache(_ expected: [UInt32], sourceLocation: SourceLocation = #_sourceLocation) throws {
      for (id, value) in expected.enumerated() {
        try ctx.testCheckDevCache(device: f.device, cacheID: UInt32(id), expected: value)
      }
    }
    let d = IOMMUTest.devCacheDefault
    let vdev = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try checkCache([d, d, d, d])
    // data_type checked by passing a zero-length array.
    invalidate(nil, type: selftest, entryLength: size, num: 0, expectNum: 0)
    // Invalid data_type.
    invalidate(.einval, type: IOMMUTest.viommuInvalidateDataTypeInvalid, entryLength: size, num: 1, expectNum: 0)
    // Structure size sanity: 13 and 1 are zero-extended, vdev_id 0 is unknown.
    invalidate(.einval, type: selftest, entryLength: size + 1, num: 1, expectNum: 0)
    invalidate(.einval, type: selftest, entryLength: 1, num: 1, expectNum: 0)
    // Invalid flag.
    reqs[0] = SelftestVIOMMUInvalidation(flags: 0xffff_ffff, vdevID: 0x99)
    invalidate(.eopnotsupp, type: selftest, entryLength: size, num: 1, expectNum: 0)
    // Invalid data_uptr when the array is not empty.
    reqs[0] = SelftestVIOMMUInvalidation(flags: 0, vdevID: 0x99)
    invalidate(.einval, type: selftest, entryLength: size, num: 1, data: false, expectNum: 0)
    // Invalid entry_len when the array is not empty.
    invalidate(.einval, type: selftest, entryLength: 0, num: 1, expectNum: 0)
    // Invalid cache_id.
    reqs[0] = SelftestVIOMMUInvalidation(vdevID: 0x99, cacheID: 4)
    invalidate(.einval, type: selftest, entryLength: size, num: 1, expectNum: 0)
    // Invalid vdev_id.
    reqs[0] = SelftestVIOMMUInvalidation(vdevID: 0x9, cacheID: 0)
    invalidate(.einval, type: selftest, entryLength: size, num: 1, expectNum: 0)
    // The 1st entry is invalidated, the 2nd fails on its flags.
    reqs = [
      SelftestVIOMMUInvalidation(vdevID: 0x99, cacheID: 0),
      SelftestVIOMMUInvalidation(flags: 0xffff_ffff, vdevID: 0x99, cacheID: 1),
    ]
    invalidate(.eopnotsupp, type: selftest, entryLength: size, num: 2, expectNum: 1)
    try checkCache([0, d, d, d])
    // The 1st entry is invalidated, the 2nd fails on its cache_id.
    reqs = [SelftestVIOMMUInvalidation(vdevID: 0x99, cacheID: 0), SelftestVIOMMUInvalidation(vdevID: 0x99, cacheID: 4)]
    invalidate(.einval, type: selftest, entryLength: size, num: 2, expectNum: 1)
    try checkCache([0, d, d, d])
    // The 2nd cache entry.
    reqs[0] = SelftestVIOMMUInvalidation(vdevID: 0x99, cacheID: 1)
    invalidate(nil, type: selftest, entryLength: size, num: 1, expectNum: 1)
    try checkCache([0, 0, d, d])
    // The 3rd and 4th cache entries.
    reqs = [SelftestVIOMMUInvalidation(vdevID: 0x99, cacheID: 2), SelftestVIOMMUInvalidation(vdevID: 0x99, cacheID: 3)]
    invalidate(nil, type: selftest, entryLength: size, num: 2, expectNum: 2)
    try checkCache([0, 0, 0, 0])
    // All cache entries.
    reqs[0] = SelftestVIOMMUInvalidation(flags: IOMMUTest.invalidateFlagAll, vdevID: 0x99)
    invalidate(nil, type: selftest, entryLength: size, num: 1, expectNum: 1)
    try checkCache([0, 0, 0, 0])
    try ctx.destroy(vdev)
    f.teardown()
  }

  /// `IOMMU_TEST_INVALIDATE_FLAG_ALL` on a fresh cache, through the typed
  /// entry form: all four entries go to 0 at once, whatever `cache_id`.
  @Test func vdeviceCacheFlagAllClearsEveryEntry() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    _ = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    var entryNum = -1
    try f.ctx.invalidate(
      hwpt: f.viommu, entries: [SelftestVIOMMUInvalidation(flags: IOMMUTest.invalidateFlagAll, vdevID: 0x99, cacheID: 2)],
      entryNum: &entryNum)
    #expect(entryNum == 1)
    for id in 0..<4 as Range<UInt32> { try f.ctx.testCheckDevCache(device: f.device, cacheID: id, expected: 0) }
    // A longer entry with a non-zero tail is E2BIG (the full-array copy).
    var num: UInt32 = 1
    expectErrno(.e2big) {
      try f.ctx.invalidate(
        hwpt: f.viommu, dataType: IOMMUTest.viommuInvalidateDataType, entryLength: 16, entryNum: &num,
        data: SelftestVIOMMUInvalidation(vdevID: 0x99).bytes + [0, 0, 0, 1])
    }
    #expect(num == 0)
    // kcalloc(entry_num, 12) above KMALLOC_MAX_SIZE → ENOMEM before any copy.
    num = UInt32(UserDataArray.kmallocMaxSize / SelftestVIOMMUInvalidation.size + 1)
    expectErrno(.enomem) {
      try f.ctx.invalidate(
        hwpt: f.viommu, dataType: IOMMUTest.viommuInvalidateDataType, entryLength: 12, entryNum: &num,
        data: SelftestVIOMMUInvalidation(vdevID: 0x99).bytes)
    }
    #expect(num == 0)
    // The array runs past the user memory → EFAULT.
    num = 2
    expectErrno(.efault) {
      try f.ctx.invalidate(
        hwpt: f.viommu, dataType: IOMMUTest.viommuInvalidateDataType, entryLength: 12, entryNum: &num,
        data: SelftestVIOMMUInvalidation(vdevID: 0x99).bytes)
    }
    #expect(num == 0)
    f.teardown()
  }

  /// TEST_F(iommufd_viommu, hw_queue), buffer pages at `MOCK_APERTURE_START`.
  @Test func hwQueue() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    try runHWQueueSequence(
      f.ctx, ioas: f.ioas, viommu: f.viommu, type: IOMMUTest.hwQueueType, maxIndex: IOMMUTest.hwQueueMax,
      iova: IOMMUTest.apertureStart, bufferPA: SelftestFixture.bufferPA)
    f.teardown()
  }

  /// TEST_F(iommufd_viommu, vdevice_tombstone).
  @Test func vdeviceTombstone() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    let vdev = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try ctx.destroy(f.stdev)
    expectErrno(.enoent) { try ctx.destroy(vdev) }
    #expect(ctx.tombstonedIDs == [vdev])
    f.teardown()
  }
}

/// HW queue ID accounting (`iommufd_hw_queue_alloc_phys`, drivers/iommu/
/// iommufd/viommu.c, and `iommufd_access_create_internal`, device.c,
/// v6.17): a queue's internal access is an ACCESS object that takes the next
/// free ID and cannot be destroyed by the user.
@Suite struct HWQueueIDAccountingTests {
  @Test func everyLiveQueueOccupiesTwoIDs() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    let page = IOAS.pageSize
    try f.mapBufferPage(0, at: IOMMUTest.apertureStart)
    func alloc(_ index: UInt32, _ offset: UInt64) throws(Errno) -> UInt32 {
      try ctx.allocHWQueue(
        viommu: f.viommu, type: IOMMUTest.hwQueueType, index: index, nestingParentIOVA: IOMMUTest.apertureStart + offset,
        length: page / 2)
    }
    let queue0 = try alloc(0, 0)
    #expect(queue0 == 8)
    #expect(ctx.objectKinds[9] == .access && ctx.users(of: 9) == 2)
    expectErrno(.ebusy) { try ctx.destroy(9) }
    // A failed allocation frees both of its IDs.
    expectErrno(.eexist) { try alloc(0, page / 2) }
    #expect(ctx.reservedIDs.isEmpty && ctx.objectKinds[10] == nil && ctx.objectKinds[11] == nil)
    let queue1 = try alloc(1, page / 2)
    #expect(queue1 == 10 && ctx.objectKinds[11] == .access)
    // The next object takes 12; destroying a queue frees its access's ID.
    #expect(try ctx.allocIOAS() == 12)
    try ctx.destroy(queue1)
    #expect(ctx.objectKinds[10] == nil && ctx.objectKinds[11] == nil)
    #expect(try ctx.allocIOAS() == 10)
    f.teardown()
  }
}
