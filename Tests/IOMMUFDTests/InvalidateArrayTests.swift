import CMDQVRegisters
import IOMMUFD
import Testing

/// Runs the byte-level `IOMMU_HWPT_INVALIDATE` and returns the errno (nil on
/// success) and the `entry_num` written back.
func invalidateBytes(
  _ ctx: IOMMUFDContext, hwpt: UInt32, type: UInt32, entryLength: UInt32, entryNum: UInt32, data: [UInt8]?,
  reserved: UInt32 = 0
) -> (errno: Errno?, entryNum: UInt32) {
  var num = entryNum
  do {
    try ctx.invalidate(hwpt: hwpt, dataType: type, entryLength: entryLength, entryNum: &num, data: data, reserved: reserved)
    return (nil, num)
  } catch {
    return (error, num)
  }
}

func smmuBytes(_ commands: [SMMUCommand]) -> [UInt8] { commands.flatMap(\.bytes) }

/// `iommufd_hwpt_invalidate` (hw_pagetable.c, v6.17): the core's checks in
/// order, with the `entry_num` written back.
@Suite struct InvalidateArrayCoreTests {
  @Test func coreChecksInOrder() throws {
    let f = try Fixture()
    let arm = UserDataArray.typeARMSMMUv3
    let one = smmuBytes([.tlbiNHAll()])
    func expect(
      _ result: (errno: Errno?, entryNum: UInt32), _ errno: Errno, sourceLocation: SourceLocation = #_sourceLocation
    ) {
      #expect(result.errno == errno, "\(String(describing: result.errno))", sourceLocation: sourceLocation)
      #expect(result.errno?.message.isEmpty == false, sourceLocation: sourceLocation)
      #expect(result.entryNum == 0, "the early exits write back entry_num 0", sourceLocation: sourceLocation)
    }
    // 1. __reserved before everything (even a bad ID and missing data).
    expect(invalidateBytes(f.ctx, hwpt: 999, type: arm, entryLength: 0, entryNum: 1, data: nil, reserved: 1), .eopnotsupp)
    // 2. entries without data, or with entry_len 0, before the ID lookup.
    expect(invalidateBytes(f.ctx, hwpt: 999, type: arm, entryLength: 16, entryNum: 1, data: nil), .einval)
    expect(invalidateBytes(f.ctx, hwpt: 999, type: arm, entryLength: 0, entryNum: 1, data: one), .einval)
    // 3. the ID.
    expect(invalidateBytes(f.ctx, hwpt: 999, type: arm, entryLength: 16, entryNum: 1, data: one), .enoent)
    expect(invalidateBytes(f.ctx, hwpt: 0, type: arm, entryLength: 16, entryNum: 1, data: one), .enoent)
    // 6. neither vIOMMU nor nested HWPT.
    for id in [f.hwpt, f.ioas, f.device] {
      expect(invalidateBytes(f.ctx, hwpt: id, type: arm, entryLength: 16, entryNum: 1, data: one), .einval)
    }
    // 4/5. no driver op.
    f.mock.nestedDomainsLackUserInvalidation = true
    let nested = try f.ctx.allocHWPT(device: f.device, pt: f.viommu, data: .selftest())
    expect(invalidateBytes(f.ctx, hwpt: nested, type: arm, entryLength: 16, entryNum: 1, data: one), .eopnotsupp)
    f.mock.supportsCacheInvalidate = false
    expect(invalidateBytes(f.ctx, hwpt: f.viommu, type: arm, entryLength: 16, entryNum: 1, data: one), .eopnotsupp)
    // No reference is left behind by any of them.
    for id in [f.viommu, nested, f.hwpt] {
      let object = try #require(f.ctx.object(id))
      #expect(object.waitCount == 0, "\(object.label)")
    }
    #expect((f.ctx.object(f.viommu) as! VIOMMU).users == 2)  // xarray + nested HWPT
  }

  @Test func noEntriesNeedNoData() throws {
    // entry_num 0 skips row 2, so a NULL data_uptr reaches the driver; the
    // mock treats a zero-length array of its type as a type probe.
    let f = try Fixture()
    let result = invalidateBytes(
      f.ctx, hwpt: f.viommu, type: UserDataArray.typeARMSMMUv3, entryLength: 0, entryNum: 0, data: nil)
    #expect(result.errno == nil && result.entryNum == 0)
    #expect(f.mock.invalidated.isEmpty)
  }

  @Test func driverEntryNumIsWrittenBackOnFailure() throws {
    let f = try Fixture()
    let commands: [SMMUCommand] = [.tlbiNHASID(asid: 1), .atcInv(streamID: 3), .sync(), .tlbiNHAll()]
    let result = invalidateBytes(
      f.ctx, hwpt: f.viommu, type: UserDataArray.typeARMSMMUv3, entryLength: 16, entryNum: 4, data: smmuBytes(commands))
    #expect(result.errno == .einval)
    #expect(result.entryNum == 2)
    #expect(f.mock.invalidated == Array(commands.prefix(2)))
    #expect(f.viommuObject.waitCount == 0 && f.viommuObject.users == 1)
  }
}

/// The copy helpers of include/linux/iommu.h (v6.17) as ``UserDataArray``
/// applies them.
@Suite struct UserDataArrayCopyTests {
  static let type: UInt32 = 7

  func array(entryLength: UInt32, entryNum: UInt32, _ bytes: [UInt8]?, type: UInt32 = type) -> UserDataArray {
    UserDataArray(type: type, entryLength: entryLength, entryNum: entryNum, bytes: bytes)
  }

  @Test func fullArrayChecksInOrder() throws {
    // Type first, then entry_num 0.
    expectErrno(.einval) { try array(entryLength: 0, entryNum: 0, nil, type: 8).copyFullArray(entrySize: 4, type: Self.type) }
    let e = expectErrno(.einval) { try array(entryLength: 4, entryNum: 0, []).copyFullArray(entrySize: 4, type: Self.type) }
    #expect(e?.message.contains("entry_num is 0") == true)
    // entry_len == ksize: one bulk copy, which faults if the memory is short.
    expectErrno(.efault) { try array(entryLength: 4, entryNum: 3, [UInt8](repeating: 1, count: 11)).copyFullArray(entrySize: 4, type: Self.type) }
    #expect(
      try array(entryLength: 4, entryNum: 2, [1, 2, 3, 4, 5, 6, 7, 8]).copyFullArray(entrySize: 4, type: Self.type)
        == [[1, 2, 3, 4], [5, 6, 7, 8]])
  }

  @Test func shorterEntriesAreZeroFilledWithNoMinimum() throws {
    #expect(try array(entryLength: 1, entryNum: 3, [9, 8, 7]).copyFullArray(entrySize: 4, type: Self.type)
      == [[9, 0, 0, 0], [8, 0, 0, 0], [7, 0, 0, 0]])
    #expect(try array(entryLength: 3, entryNum: 2, [1, 2, 3, 4, 5, 6]).copyFullArray(entrySize: 4, type: Self.type)
      == [[1, 2, 3, 0], [4, 5, 6, 0]])
    // The second entry faults.
    expectErrno(.efault) { try array(entryLength: 3, entryNum: 2, [1, 2, 3, 4]).copyFullArray(entrySize: 4, type: Self.type) }
  }

  @Test func longerEntriesNeedAZeroTail() throws {
    #expect(try array(entryLength: 6, entryNum: 2, [1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0, 0]).copyFullArray(entrySize: 4, type: Self.type)
      == [[1, 2, 3, 4], [5, 6, 7, 8]])
    let e = expectErrno(.e2big) {
      try array(entryLength: 6, entryNum: 2, [1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0, 1]).copyFullArray(entrySize: 4, type: Self.type)
    }
    #expect(e?.message.contains("entry 1") == true)
    // A tail that runs off the user memory faults, unless a non-zero byte
    // comes first (check_zeroed_user stops there).
    expectErrno(.efault) { try array(entryLength: 6, entryNum: 1, [1, 2, 3, 4, 0]).copyFullArray(entrySize: 4, type: Self.type) }
    expectErrno(.e2big) { try array(entryLength: 8, entryNum: 1, [1, 2, 3, 4, 0, 9]).copyFullArray(entrySize: 4, type: Self.type) }
  }

  @Test func singleEntryChecksInOrder() throws {
    let bytes: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
    // index >= entry_num (WARN), then entry_num 0, then type, then length.
    expectErrno(.einval) { try array(entryLength: 4, entryNum: 2, bytes, type: 8).copyEntry(2, size: 4, minSize: 4, type: Self.type) }
    expectErrno(.einval) { try array(entryLength: 4, entryNum: 2, bytes, type: 8).copyEntry(0, size: 4, minSize: 4, type: Self.type) }
    expectErrno(.einval) { try array(entryLength: 2, entryNum: 2, bytes).copyEntry(0, size: 4, minSize: 3, type: Self.type) }
    // Longer is EINVAL here, not E2BIG, even with a zero tail.
    expectErrno(.einval) { try array(entryLength: 5, entryNum: 1, [1, 2, 3, 4, 0]).copyEntry(0, size: 4, minSize: 4, type: Self.type) }
    #expect(try array(entryLength: 4, entryNum: 2, bytes).copyEntry(1, size: 4, minSize: 4, type: Self.type) == [5, 6, 7, 8])
    #expect(try array(entryLength: 3, entryNum: 2, bytes).copyEntry(1, size: 4, minSize: 2, type: Self.type) == [4, 5, 6, 0])
    expectErrno(.efault) { try array(entryLength: 4, entryNum: 3, bytes).copyEntry(2, size: 4, minSize: 4, type: Self.type) }
  }

  @Test func kcallocCapIsKmallocMaxSize() throws {
    let max = UInt32(UserDataArray.kmallocMaxSize / 16)
    try array(entryLength: 16, entryNum: max, []).kcalloc(entrySize: 16)
    try array(entryLength: 16, entryNum: 0, nil).kcalloc(entrySize: 16)
    expectErrno(.enomem) { try array(entryLength: 16, entryNum: max + 1, []).kcalloc(entrySize: 16) }
    expectErrno(.enomem) { try array(entryLength: 16, entryNum: .max, []).kcalloc(entrySize: 16) }
  }

  @Test func hugeClaimsCostNothing() throws {
    // entry_len and entry_num at their maximum: no allocation or loop beyond
    // the user memory that exists.
    expectErrno(.efault) { try array(entryLength: .max, entryNum: .max, [0]).copyFullArray(entrySize: 16, type: Self.type) }
    expectErrno(.efault) { try array(entryLength: 1, entryNum: .max, [1, 2, 3]).copyFullArray(entrySize: 16, type: Self.type) }
    expectErrno(.efault) { try array(entryLength: 16, entryNum: .max, [1, 2, 3]).copyFullArray(entrySize: 16, type: Self.type) }
  }
}

/// The nested-HWPT path: `cache_invalidate_user` of the selftest mock domain
/// (`mock_domain_cache_invalidate_user`, selftest.c, v6.17), which copies
/// entry by entry with `iommu_copy_struct_from_user_array`.
@Suite struct InvalidateNestedHWPTTests {
  static func setUp() throws -> (Fixture, UInt32, SelftestNestedDomain) {
    let f = try Fixture()
    let nested = try f.ctx.allocHWPT(device: f.device, pt: f.viommu, data: HWPTUserData.selftest(iotlb: 0xbad))
    let domain = try #require((f.ctx.object(nested) as? HWPTNested)?.domain as? SelftestNestedDomain)
    return (f, nested, domain)
  }

  @Test func typeIsCheckedEvenWithNoEntries() throws {
    let (f, nested, domain) = try Self.setUp()
    let bad = invalidateBytes(f.ctx, hwpt: nested, type: IOMMUTest.hwptInvalidateDataTypeInvalid, entryLength: 8, entryNum: 0, data: [])
    #expect(bad.errno == .einval && bad.entryNum == 0)
    let probe = invalidateBytes(f.ctx, hwpt: nested, type: IOMMUTest.hwptInvalidateDataType, entryLength: 8, entryNum: 0, data: [])
    #expect(probe.errno == nil && probe.entryNum == 0)
    #expect(domain.iotlb == [0xbad, 0xbad, 0xbad, 0xbad])
  }

  @Test(arguments: [UInt32(1), 4, 7, 9, 16])
  func entryLengthOtherThanTheStructIsEINVAL(entryLength: UInt32) throws {
    let (f, nested, domain) = try Self.setUp()
    let data = [UInt8](repeating: 0, count: Int(entryLength) * 2)
    let result = invalidateBytes(f.ctx, hwpt: nested, type: IOMMUTest.hwptInvalidateDataType, entryLength: entryLength, entryNum: 2, data: data)
    #expect(result.errno == .einval && result.entryNum == 0)
    #expect(domain.iotlb == [0xbad, 0xbad, 0xbad, 0xbad])
  }

  @Test func perEntryChecksStopAtTheFirstBadEntry() throws {
    let (f, nested, domain) = try Self.setUp()
    let data =
      SelftestHWPTInvalidation(iotlbID: 1).bytes + SelftestHWPTInvalidation(flags: 0xffff_ffff, iotlbID: 2).bytes
      + SelftestHWPTInvalidation(iotlbID: 3).bytes
    let flags = invalidateBytes(f.ctx, hwpt: nested, type: IOMMUTest.hwptInvalidateDataType, entryLength: 8, entryNum: 3, data: data)
    #expect(flags.errno == .eopnotsupp && flags.entryNum == 1)
    #expect(domain.iotlb == [0xbad, 0, 0xbad, 0xbad])
    let id = invalidateBytes(
      f.ctx, hwpt: nested, type: IOMMUTest.hwptInvalidateDataType, entryLength: 8, entryNum: 2,
      data: SelftestHWPTInvalidation(iotlbID: 0).bytes + SelftestHWPTInvalidation(iotlbID: 4).bytes)
    #expect(id.errno == .einval && id.entryNum == 1)
    #expect(domain.iotlb == [0, 0, 0xbad, 0xbad])
    // A short buffer faults at the entry that runs off it.
    let short = invalidateBytes(
      f.ctx, hwpt: nested, type: IOMMUTest.hwptInvalidateDataType, entryLength: 8, entryNum: 2,
      data: SelftestHWPTInvalidation(iotlbID: 2).bytes + [0, 0])
    #expect(short.errno == .efault && short.entryNum == 1)
    #expect(domain.iotlb == [0, 0, 0, 0xbad])
  }

  @Test func typedEntriesFromOutsideTheCore() throws {
    let (f, nested, domain) = try Self.setUp()
    var entryNum = -1
    try f.ctx.invalidate(hwpt: nested, entries: [SelftestHWPTInvalidation(iotlbID: 3)], entryNum: &entryNum)
    #expect(entryNum == 1 && domain.iotlb == [0xbad, 0xbad, 0xbad, 0])
    // iotlb_id is range-checked even with FLAG_ALL.
    expectErrno(.einval) {
      try f.ctx.invalidate(
        hwpt: nested, entries: [SelftestHWPTInvalidation(flags: IOMMUTest.invalidateFlagAll, iotlbID: 4)], entryNum: &entryNum)
    }
    #expect(entryNum == 0)
    try f.ctx.invalidate(
      hwpt: nested, entries: [SelftestHWPTInvalidation(flags: IOMMUTest.invalidateFlagAll, iotlbID: 1)], entryNum: &entryNum)
    #expect(entryNum == 1 && domain.iotlb == [0, 0, 0, 0])
    let hwpt = try #require(f.ctx.object(nested))
    #expect(hwpt.waitCount == 0 && hwpt.users == 1)
  }
}
