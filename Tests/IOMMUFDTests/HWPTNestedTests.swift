import IOMMUFD
import Testing

/// Every live object's `users` plus the reserved IDs: equal before and after
/// a failed ioctl means it left no object, ID or reference behind.
func tableSnapshot(_ ctx: IOMMUFDContext) -> [String] {
  ctx.objectKinds.keys.sorted().map { "\($0):\(ctx.objectKinds[$0]!):\(ctx.users(of: $0)!)" }
    + ctx.reservedIDs.map { "reserved \($0)" }
}

/// IOMMU_HWPT_ALLOC (`iommufd_hwpt_alloc`, hw_pagetable.c, v6.17) on the
/// selftest-style mock: the core's checks in order, the vIOMMU path
/// (`iommufd_viommu_alloc_hwpt_nested`) and the paging path
/// (`iommufd_hwpt_paging_alloc` + `arm_smmu_domain_alloc_paging_flags`).
@Suite struct HWPTNestedTests {
  let bit31 = HWPTAllocFlags(rawValue: 1 << 31)

  @Test func coreChecksInOrder() throws {
    let f = try Fixture()
    let ctx = f.ctx
    let before = tableSnapshot(ctx)
    let good = HWPTUserData.selftest()
    // 1. data_type / data_len mismatch, before the device lookup.
    expectErrno(.einval) { try ctx.allocHWPT(device: 999, pt: f.viommu, data: HWPTUserData(type: 0, bytes: [1])) }
    expectErrno(.einval) { try ctx.allocHWPT(device: f.device, pt: f.viommu, data: HWPTUserData(type: 0xdead, bytes: [])) }
    // 2. bad device (also an ID of another type).
    expectErrno(.enoent) { try ctx.allocHWPT(device: 999, pt: f.viommu, data: good) }
    expectErrno(.enoent) { try ctx.allocHWPT(device: f.ioas, pt: f.viommu, data: good) }
    // 3. pt_id names nothing → EINVAL (not ENOENT).
    expectErrno(.einval) { try ctx.allocHWPT(device: f.device, pt: 999, data: good) }
    expectErrno(.einval) { try ctx.allocHWPT(device: f.device, pt: 0, data: good) }
    // 4. wrong pt type; a HWPT_PAGING parent has no domain_alloc_nested.
    expectErrno(.einval) { try ctx.allocHWPT(device: f.device, pt: f.device, data: good) }
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: f.device, pt: f.hwpt, data: good) }
    // 5. nested flags: bit 31 and NEST_PARENT, even with a valid fault ID.
    let fault = try ctx.allocFaultQueue()
    let withFault = tableSnapshot(ctx)
    expectErrno(.eopnotsupp) {
      try ctx.allocHWPT(device: f.device, pt: f.viommu, flags: [.faultIDValid, bit31], data: good, faultID: fault)
    }
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .nestParent, data: good) }
    // 6. no user data (data_type NONE, data_len 0).
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: f.device, pt: f.viommu) }
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: f.device, pt: f.viommu, data: HWPTUserData(type: 0, bytes: [])) }
    // 7. the driver's alloc_domain_nested (mock: type → EOPNOTSUPP, length → EINVAL).
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: f.device, pt: f.viommu, data: HWPTUserData(type: 0xbeef, bytes: [0, 0, 0, 0])) }
    expectErrno(.einval) { try ctx.allocHWPT(device: f.device, pt: f.viommu, data: HWPTUserData(type: 0xdead, bytes: [0, 0, 0])) }
    // 8. a bad fault ID with good flags → ENOENT (viommu_alloc_nested_iopf).
    expectErrno(.enoent) {
      try ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .faultIDValid, data: good, faultID: UInt32.max)
    }
    expectErrno(.enoent) { try ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .faultIDValid, data: good, faultID: f.hwpt) }
    #expect(tableSnapshot(ctx) == withFault)
    try ctx.closeFaultQueueFile(fault)
    try ctx.destroy(fault)
    #expect(tableSnapshot(ctx) == before)
    // 9. no alloc_domain_nested.
    f.mock.supportsNestedDomains = false
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: f.device, pt: f.viommu, data: good) }
    #expect(tableSnapshot(ctx) == before)
  }

  @Test func viommuOnAnotherIOMMUIsEINVAL() throws {
    let a = MockIOMMU(name: "mockA", streamIDs: 0...0xF)
    let b = MockIOMMU(name: "mockB", streamIDs: 0x10...0x1F, mmioBase: 0x2_0000_0000)
    let ctx = IOMMUFDContext(drivers: [a, b])
    a.context = ctx
    b.context = ctx
    let devA = try ctx.bindDevice(streamIDs: [1])
    let devB = try ctx.bindDevice(streamIDs: [0x11])
    let ioas = try ctx.allocIOAS()
    let hwpt = try ctx.allocHWPT(device: devA, pt: ioas, flags: .nestParent)
    let viommu = try ctx.allocVIOMMU(device: devA, hwpt: hwpt, type: IOMMUTest.viommuType).id
    let before = tableSnapshot(ctx)
    // Checked before the flags: bit 31 does not turn it into EOPNOTSUPP.
    expectErrno(.einval) {
      try ctx.allocHWPT(device: devB, pt: viommu, flags: HWPTAllocFlags(rawValue: 1 << 31), data: .selftest())
    }
    #expect(tableSnapshot(ctx) == before)
    _ = try ctx.allocHWPT(device: devA, pt: viommu, data: .selftest())
  }

  @Test func nestedHoldsTheVIOMMUAndItsFaultQueue() throws {
    let f = try Fixture()
    let ctx = f.ctx
    let fault = try ctx.allocFaultQueue()
    #expect(ctx.users(of: fault) == 2)  // table + fd
    let viommuUsers = ctx.users(of: f.viommu)!
    let parentUsers = ctx.users(of: f.hwpt)!
    let nested = try ctx.allocHWPT(
      device: f.device, pt: f.viommu, flags: [.faultIDValid, .pasid], data: HWPTUserData.selftest(iotlb: 7),
      faultID: fault)
    #expect(ctx.objectKinds[nested] == .hwptNested)
    let object = try #require(ctx.object(nested) as? HWPTNested)
    #expect(object.parent.id == f.hwpt)
    #expect(object.fault?.id == fault)
    #expect(object.isPASIDCompatible)
    #expect((object.domain as? SelftestNestedDomain)?.iotlb == [7, 7, 7, 7])
    #expect(ctx.users(of: f.viommu) == viommuUsers + 1)
    #expect(ctx.users(of: f.hwpt) == parentUsers)  // the parent takes no reference
    #expect(ctx.users(of: fault) == 3)
    expectErrno(.ebusy) { try ctx.destroy(f.viommu) }
    try ctx.closeFaultQueueFile(fault)
    expectErrno(.ebadf) { try ctx.closeFaultQueueFile(fault) }
    expectErrno(.ebusy) { try ctx.destroy(fault) }
    try ctx.destroy(nested)
    #expect(ctx.users(of: f.viommu) == viommuUsers)
    try ctx.destroy(fault)
  }

  @Test func pagingPathChecksInOrder() throws {
    let f = try Fixture(withVIOMMU: false)
    let ctx = f.ctx
    let before = tableSnapshot(ctx)
    let fault = try ctx.allocFaultQueue()
    let withFault = tableSnapshot(ctx)
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: f.device, pt: f.ioas, flags: bit31) }
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: f.device, pt: f.ioas, flags: .dirtyTracking) }
    expectErrno(.eopnotsupp) {
      try ctx.allocHWPT(device: f.device, pt: f.ioas, flags: [.faultIDValid, .nestParent], faultID: fault)
    }
    // arm_smmu_domain_alloc_paging_flags: user data, NEST_PARENT | PASID.
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: f.device, pt: f.ioas, data: .armSMMUv3(ste0: 0, ste1: 0)) }
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: f.device, pt: f.ioas, flags: [.nestParent, .pasid]) }
    expectErrno(.enoent) { try ctx.allocHWPT(device: f.device, pt: f.ioas, flags: .faultIDValid, faultID: 999) }
    #expect(tableSnapshot(ctx) == withFault)
    let pasid = try ctx.allocHWPT(device: f.device, pt: f.ioas, flags: .pasid)
    let withID = try ctx.allocHWPT(device: f.device, pt: f.ioas, flags: .faultIDValid, faultID: fault)
    #expect((ctx.object(withID) as? HWPTPaging)?.fault?.id == fault)
    #expect(ctx.users(of: fault) == 3)
    try ctx.destroy(withID)
    try ctx.destroy(pasid)
    try ctx.closeFaultQueueFile(fault)
    try ctx.destroy(fault)
    #expect(tableSnapshot(ctx) == before)
  }

  @Test func faultQueueAllocChecks() throws {
    let ctx = IOMMUFDContext(drivers: [MockIOMMU()])
    expectErrno(.eopnotsupp) { try ctx.allocFaultQueue(flags: 1) }
    #expect(ctx.liveObjectCount == 0)
    let fault = try ctx.allocFaultQueue()
    #expect(fault == 1)
    expectErrno(.ebusy) { try ctx.destroy(fault) }
    expectErrno(.ebadf) { try ctx.closeFaultQueueFile(999) }
    // close() closes the fault fd before releasing the table.
    let report = ctx.close()
    #expect(report.closedFaultFiles == 1)
    #expect(report.isClean)
    #expect(ctx.liveObjectCount == 0)
  }
}
