import IOMMUFD
import Testing

/// Out-of-range arguments to throwing API calls are errnos, decided before
/// anything proportional to a user-given length is done.
struct HostileArgumentTests {
  @Test(arguments: [UInt64(1) << 40, 1 << 62, UInt64.max - 0xFFFF_0000])
  func hugeHWQueueLengthIsENOMEMBeforeAnyPin(_ length: UInt64) throws {
    let f = try Fixture()
    let ids = f.ctx.liveObjectCount
    let error = expectErrno(.enomem) { try f.allocQueue(index: 0, length: length) }
    #expect(error?.message.contains("kvcalloc") == true, "\(String(describing: error))")
    #expect(f.ctx.pinnedPages.isEmpty)
    #expect(f.ctx.liveObjectCount == ids)
    #expect(f.ctx.users(of: f.viommu) == 1)
  }

  @Test func longUnmappedHWQueueIsENOENTWithoutPinning() throws {
    let f = try Fixture()
    // 2^39 bytes: below the page-array limit, far beyond what is mapped.
    let error = expectErrno(.enoent) { try f.allocQueue(index: 0, length: 1 << 39) }
    #expect(error?.message.contains("is not mapped") == true)
    #expect(f.ctx.pinnedPages.isEmpty)
  }

  @Test func longScatteredHWQueueIsEFAULTWithoutPinning() throws {
    let f = try Fixture()
    // 16 GiB mapped right after the fixture's 4 pages, at an unrelated PA.
    let next = Fixture.queueIOVA + 4 * IOAS.pageSize
    try f.ctx.ioasMap(ioas: f.ioas, iova: next, length: 1 << 34, physicalAddress: 0x40_0000_0000)
    let error = expectErrno(.efault) { try f.allocQueue(index: 0, length: 1 << 34) }
    #expect(error?.message.contains("page 4 of the queue") == true, "\(String(describing: error))")
    #expect(f.ctx.pinnedPages.isEmpty)
  }

  @Test func externalPinOfAHugeRangeIsAnErrnoNotAnAllocation() throws {
    let f = try Fixture()
    let access = try f.ctx.createAccess(ioas: f.ioas, unmap: { _, _, _ in })
    expectErrno(.enomem) { try f.ctx.accessPinPages(access, iova: 0, length: 1 << 62) }
    expectErrno(.enoent) { try f.ctx.accessPinPages(access, iova: Fixture.queueIOVA, length: 1 << 39) }
    #expect(access.pinnedPageCount == 0)
  }

  @Test func negativeReadCountIsEINVAL() throws {
    let f = try Fixture()
    let q = try f.ctx.allocVEventQueue(viommu: f.viommu, type: 2, depth: 4)
    try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: [1])
    expectErrno(.einval) { try f.ctx.readEvents(q, maxCount: -1) }
    expectErrno(.einval) { try f.ctx.readEvents(q, maxCount: .min) }
    #expect(try f.ctx.readEvents(q, maxCount: 0).isEmpty)
    #expect(try f.ctx.readEvents(q).count == 1)
  }
}
