import IOMMUFD
import Testing

/// `iommufd_hw_queue_alloc_ioctl` (viommu.c, v6.17), every check in order, plus the selftest mock's rules.
struct HWQueueAllocTests {
  @Test func row1FlagsOrDefaultType() throws {
    let f = try Fixture()
    expectErrno(.eopnotsupp) {
      try f.ctx.allocHWQueue(viommu: f.viommu, type: IOMMUTest.hwQueueType, index: 0, nestingParentIOVA: 0, length: 0, flags: 1)
    }
    expectErrno(.eopnotsupp) {
      try f.ctx.allocHWQueue(viommu: 999, type: 0, index: 0, nestingParentIOVA: 0, length: 0)
    }
  }

  @Test func row2ZeroLength() throws {
    let f = try Fixture()
    expectErrno(.einval) { try f.ctx.allocHWQueue(viommu: 999, type: 1, index: 0, nestingParentIOVA: 0, length: 0) }
  }

  @Test func row3Overflow() throws {
    let f = try Fixture()
    expectErrno(.eoverflow) {
      try f.ctx.allocHWQueue(viommu: 999, type: 1, index: 0, nestingParentIOVA: UInt64.max, length: 2)
    }
  }

  @Test func row4BadVIOMMU() throws {
    let f = try Fixture()
    expectErrno(.enoent) { try f.ctx.allocHWQueue(viommu: 999, type: 1, index: 0, nestingParentIOVA: 0, length: 1) }
    expectErrno(.enoent) { try f.ctx.allocHWQueue(viommu: f.hwpt, type: 1, index: 0, nestingParentIOVA: 0, length: 1) }
  }

  @Test func row5NoHWQueueOps() throws {
    let f = try Fixture()
    f.mock.supportsHWQueues = false
    expectErrno(.eopnotsupp) { try f.allocQueue(index: 0) }
  }

  @Test func row6UnsupportedType() throws {
    let f = try Fixture()
    expectErrno(.eopnotsupp) {
      try f.ctx.allocHWQueue(viommu: f.viommu, type: 1, index: 0, nestingParentIOVA: Fixture.queueIOVA, length: 256)
    }
  }

  @Test func row7SizeBelowCore() throws {
    let f = try Fixture()
    f.mock.hwQueueSizeOverride = HWQueue.coreStructSize - 8
    expectErrno(.eopnotsupp) { try f.allocQueue(index: 0) }
    #expect(f.ctx.warnings.count == 1)
  }

  @Test func row8AllocationFails() throws {
    let f = try Fixture()
    f.ctx.failNextObjectAllocation = true
    expectErrno(.enomem) { try f.allocQueue(index: 0) }
    #expect(f.ctx.users(of: f.viommu) == 1)
  }

  @Test func row9RangeOverflow() throws {
    let f = try Fixture()
    // iova + length - 1 fits, but offset + length + PAGE_SIZE - 1 does not.
    expectErrno(.erange) { try f.allocQueue(index: 0, iova: 0, length: UInt64.max) }
    expectErrno(.erange) { try f.allocQueue(index: 0, iova: 0x10, length: UInt64.max - 0x10) }
    assertNothingLeft(f)
  }

  @Test func row10NotMapped() throws {
    let f = try Fixture()
    expectErrno(.enoent) { try f.allocQueue(index: 0, iova: 0x80_0000, length: 256) }
    // Partly mapped: the queue runs past the mapped 4 pages.
    expectErrno(.enoent) { try f.allocQueue(index: 0, iova: Fixture.queueIOVA + 0x3800, length: 0x1000) }
    assertNothingLeft(f)
  }

  @Test func row11NotContiguous() throws {
    let f = try Fixture()
    try f.ctx.ioasMap(ioas: f.ioas, iova: 0x20000, length: 0x1000, physicalAddress: 0x5000_0000)
    try f.ctx.ioasMap(ioas: f.ioas, iova: 0x21000, length: 0x1000, physicalAddress: 0x7000_0000)
    expectErrno(.efault) { try f.allocQueue(index: 0, iova: 0x20800, length: 0x1000) }
    assertNothingLeft(f)
    // Two areas that happen to be physically contiguous are fine.
    try f.ctx.ioasMap(ioas: f.ioas, iova: 0x30000, length: 0x1000, physicalAddress: 0x6000_0000)
    try f.ctx.ioasMap(ioas: f.ioas, iova: 0x31000, length: 0x1000, physicalAddress: 0x6000_1000)
    let q = try f.allocQueue(index: 0, iova: 0x30800, length: 0x1000)
    #expect((f.ctx.object(q) as? HWQueue)?.basePhysicalAddress == 0x6000_0800)
  }

  @Test(arguments: [
    (UInt32(2), Errno.einval),  // index >= IOMMU_TEST_HW_QUEUE_MAX
    (UInt32(1), Errno.eio),  // index 1 without index 0
  ])
  func row12DriverInitFails(index: UInt32, errno: Errno) throws {
    let f = try Fixture()
    expectErrno(errno) { try f.allocQueue(index: index) }
    assertNothingLeft(f)
  }

  @Test func row12DuplicateIndexIsEEXIST() throws {
    let f = try Fixture()
    _ = try f.allocQueue(index: 0)
    let pinned = f.ctx.pinnedPages.count
    expectErrno(.eexist) { try f.allocQueue(index: 0, iova: Fixture.queueIOVA + 0x2000) }
    #expect(f.ctx.pinnedPages.count == pinned)
  }

  @Test func basePAIsThePinnedPagePlusTheOffset() throws {
    let f = try Fixture()
    let q = try f.allocQueue(index: 0, iova: Fixture.queueIOVA + 0x1234, length: 0x1000)
    let queue = try #require(f.ctx.object(q) as? HWQueue)
    #expect(queue.basePhysicalAddress == Fixture.queuePA + 0x1234)
    #expect(queue.baseAddress == Fixture.queueIOVA + 0x1234)
    // [PAGE_ALIGN_DOWN(iova), + round_up(offset + length)) = 2 pages.
    #expect(f.ctx.pinnedPages.map(\.iova) == [Fixture.queueIOVA + 0x1000, Fixture.queueIOVA + 0x2000])
    #expect(f.ctx.users(of: f.viommu) == 2)
    try f.ctx.destroy(q)
    assertNothingLeft(f)
  }

  @Test func destroyingADependedOnQueueIsEBUSYAndLeavesItIntact() throws {
    let f = try Fixture()
    let q0 = try f.allocQueue(index: 0)
    let q1 = try f.allocQueue(index: 1, iova: Fixture.queueIOVA + 0x1000)
    #expect(f.ctx.users(of: q0) == 2)
    expectErrno(.ebusy) { try f.ctx.destroy(q0) }
    #expect(f.ctx.objectKinds[q0] == .hwQueue)
    #expect(f.mock.hwQueues[0]?.id == q0)
    #expect(f.ctx.pinnedPages.count == 2)
    try f.ctx.destroy(q1)
    #expect(f.ctx.users(of: q0) == 1)
    try f.ctx.destroy(q0)
    assertNothingLeft(f)
  }

  @Test func failedInitAfterDependIsReportedAsADriverBug() throws {
    let f = try Fixture()
    let q0 = try f.allocQueue(index: 0)
    f.mock.leakDependOnFailure = true
    expectErrno(.eio) { try f.allocQueue(index: 1, iova: Fixture.queueIOVA + 0x1000) }
    // The core still undoes its own state; the leaked dependency is warned about.
    #expect(f.ctx.pinnedPages.count == 1)
    #expect(f.ctx.warnings.contains { $0.contains("did not undepend") })
    #expect(f.ctx.users(of: q0) == 2)
  }

  func assertNothingLeft(_ f: Fixture, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(f.ctx.objects(of: HWQueue.self).isEmpty, sourceLocation: sourceLocation)
    #expect(f.ctx.pinnedPages.isEmpty, sourceLocation: sourceLocation)
    #expect(f.ctx.reservedIDs.isEmpty, sourceLocation: sourceLocation)
    #expect(f.ctx.users(of: f.viommu) == 1, sourceLocation: sourceLocation)
    #expect(f.ctx.users(of: f.ioas) == 2, sourceLocation: sourceLocation)
    #expect((f.ctx.object(f.ioas) as? IOAS)?.accesses.isEmpty == true, sourceLocation: sourceLocation)
  }
}
