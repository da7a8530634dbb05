import IOMMUFD
import Testing

struct IOASTests {
  let ctx = IOMMUFDContext(drivers: [MockIOMMU()])

  @Test func mapChecks() throws {
    let ioas = try ctx.allocIOAS()
    expectErrno(.enoent) { try ctx.ioasMap(ioas: 99, iova: 0, length: 0x1000, physicalAddress: 0) }
    expectErrno(.einval) { try ctx.ioasMap(ioas: ioas, iova: 0, length: 0, physicalAddress: 0) }
    expectErrno(.einval) { try ctx.ioasMap(ioas: ioas, iova: 0x800, length: 0x1000, physicalAddress: 0) }
    expectErrno(.einval) { try ctx.ioasMap(ioas: ioas, iova: 0, length: 0x1800, physicalAddress: 0) }
    expectErrno(.einval) { try ctx.ioasMap(ioas: ioas, iova: 0, length: 0x1000, physicalAddress: 0x10) }
    expectErrno(.eoverflow) {
      try ctx.ioasMap(ioas: ioas, iova: UInt64.max - 0xFFF, length: 0x2000, physicalAddress: 0)
    }
    try ctx.ioasMap(ioas: ioas, iova: 0x10000, length: 0x4000, physicalAddress: 0x200000)
    expectErrno(.eexist) { try ctx.ioasMap(ioas: ioas, iova: 0x13000, length: 0x2000, physicalAddress: 0) }
    expectErrno(.eexist) { try ctx.ioasMap(ioas: ioas, iova: 0xF000, length: 0x2000, physicalAddress: 0) }
    try ctx.ioasMap(ioas: ioas, iova: 0x14000, length: 0x1000, physicalAddress: 0)
    let object = try #require(ctx.object(ioas) as? IOAS)
    #expect(object.physicalAddress(of: 0x10123) == 0x200123)
    #expect(object.physicalAddress(of: 0x15000) == nil)
  }

  @Test func unmapChecks() throws {
    let ioas = try ctx.allocIOAS()
    try ctx.ioasMap(ioas: ioas, iova: 0x10000, length: 0x4000, physicalAddress: 0x200000)
    expectErrno(.enoent) { try ctx.ioasUnmap(ioas: 99, iova: 0x10000, length: 0x4000) }
    expectErrno(.einval) { try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0) }
    expectErrno(.einval) { try ctx.ioasUnmap(ioas: ioas, iova: 0x10001, length: 0x1000) }
    expectErrno(.eoverflow) { try ctx.ioasUnmap(ioas: ioas, iova: UInt64.max - 0xFFF, length: 0x2000) }
    expectErrno(.enoent) { try ctx.ioasUnmap(ioas: ioas, iova: 0x20000, length: 0x1000) }
    // Only part of the area: the kernel refuses to split an area.
    expectErrno(.enoent) { try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0x1000) }
    #expect(try ctx.ioasUnmap(ioas: ioas, iova: 0x0, length: 0x100000) == 0x4000)
    expectErrno(.enoent) { try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0x4000) }
  }

  @Test func unmapOfAPinnedQueuePageIsEBUSYAndUnmapsNothing() throws {
    let f = try Fixture()
    let ioasObject = try #require(f.ctx.object(f.ioas) as? IOAS)
    try f.ctx.ioasMap(ioas: f.ioas, iova: 0x40000, length: 0x1000, physicalAddress: 0x9000_0000)
    let q = try f.allocQueue(index: 0, iova: Fixture.queueIOVA + 0x100, length: 0x100)
    #expect(ioasObject.pinCount(atPage: Fixture.queueIOVA) == 1)
    let error = expectErrno(.ebusy) { try f.ctx.ioasUnmap(ioas: f.ioas, iova: 0, length: 0x100000) }
    #expect(error?.message.contains("HW_QUEUE") == true)
    #expect(ioasObject.areas.count == 2)
    try f.ctx.destroy(q)
    #expect(f.ctx.pinnedPages.isEmpty)
    #expect(try f.ctx.ioasUnmap(ioas: f.ioas, iova: 0, length: 0x100000) == 0x5000)
  }

  @Test func accessPinAndUnpin() throws {
    let ioas = try ctx.allocIOAS()
    try ctx.ioasMap(ioas: ioas, iova: 0x10000, length: 0x2000, physicalAddress: 0x200000)
    try ctx.ioasMap(ioas: ioas, iova: 0x12000, length: 0x1000, physicalAddress: 0x900000)
    let access = try ctx.createAccess(ioas: ioas) { _, _, _ in }
    #expect(access.users == 2)
    #expect(ctx.users(of: ioas) == 2)
    expectErrno(.einval) { try ctx.accessPinPages(access, iova: 0x10000, length: 0) }
    expectErrno(.eoverflow) { try ctx.accessPinPages(access, iova: UInt64.max, length: 2) }
    expectErrno(.enoent) { try ctx.accessPinPages(access, iova: 0x12000, length: 0x2000) }
    let pages = try ctx.accessPinPages(access, iova: 0x10800, length: 0x2000)
    #expect(pages == [0x200000, 0x201000, 0x900000])
    #expect(ctx.pinnedPages.count == 3)
    expectErrno(.ebusy) { try ctx.destroy(access.id) }
    ctx.accessUnpinPages(access, iova: 0x10800, length: 0x1000)
    #expect(ctx.warnings.count == 1)
    ctx.accessUnpinPages(access, iova: 0x10800, length: 0x2000)
    #expect(ctx.pinnedPages.isEmpty)
    try ctx.destroyAccess(access)
    #expect(ctx.users(of: ioas) == 1)
    #expect(ctx.objectKinds == [ioas: .ioas])
  }

  @Test func unmapNotifiesExternalAccesses() throws {
    let ioas = try ctx.allocIOAS()
    try ctx.ioasMap(ioas: ioas, iova: 0x10000, length: 0x2000, physicalAddress: 0x200000)
    var notified: [(UInt64, UInt64)] = []
    let access = try ctx.createAccess(ioas: ioas) { access, iova, length in
      notified.append((iova, length))
      access.context?.accessUnpinPages(access, iova: 0x10000, length: 0x1000)
    }
    _ = try ctx.accessPinPages(access, iova: 0x10000, length: 0x1000)
    #expect(try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0x2000) == 0x2000)
    #expect(notified.count == 1 && notified[0] == (0x10000, 0x2000))
    try ctx.destroyAccess(access)
  }

  @Test func unresponsiveAccessIsEDEADLK() throws {
    let ioas = try ctx.allocIOAS()
    try ctx.ioasMap(ioas: ioas, iova: 0x10000, length: 0x1000, physicalAddress: 0x200000)
    let access = try ctx.createAccess(ioas: ioas) { _, _, _ in }
    _ = try ctx.accessPinPages(access, iova: 0x10000, length: 0x1000)
    expectErrno(.edeadlk) { try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0x1000) }
    #expect((ctx.object(ioas) as? IOAS)?.areas.count == 1)
    try ctx.destroyAccess(access)
    #expect(ctx.pinnedPages.isEmpty)
  }
}
