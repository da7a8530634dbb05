import IOMMUFD
import Testing

/// `_iommufd_object_depend` (drivers/iommu/iommufd/driver.c, v6.17) plus the cycle check (a model addition).
struct DependTests {
  /// Two queues on one vIOMMU, allocated without the mock's own depend.
  func twoQueues() throws -> (Fixture, HWQueue, HWQueue) {
    let f = try Fixture()
    f.mock.dependOnPrevious = false
    let q0 = try f.allocQueue(index: 0)
    let q1 = try f.allocQueue(index: 1, iova: Fixture.queueIOVA + 0x1000)
    return (f, f.ctx.object(q0) as! HWQueue, f.ctx.object(q1) as! HWQueue)
  }

  @Test func selfDependencyIsEINVAL() throws {
    let (f, q0, _) = try twoQueues()
    expectErrno(.einval) { try f.ctx.depend(q0, on: q0) }
    #expect(q0.users == 1)
  }

  @Test func differentTypesIsEINVAL() throws {
    let (f, q0, _) = try twoQueues()
    expectErrno(.einval) { try f.ctx.dependObject(q0, on: f.viommuObject) }
    #expect(f.viommuObject.users == 3)
  }

  @Test func differentVIOMMUsIsEINVAL() throws {
    let (f, q0, _) = try twoQueues()
    let hwpt2 = try f.ctx.allocHWPT(device: f.device, ioas: f.ioas, nestParent: true)
    let viommu2 = try f.ctx.allocVIOMMU(device: f.device, hwpt: hwpt2, type: IOMMUTest.viommuType).id
    let other = try f.ctx.allocHWQueue(
      viommu: viommu2, type: IOMMUTest.hwQueueType, index: 0, nestingParentIOVA: Fixture.queueIOVA + 0x2000,
      length: 64)
    let otherQueue = try #require(f.ctx.object(other) as? HWQueue)
    expectErrno(.einval) { try f.ctx.depend(otherQueue, on: q0) }
    #expect(f.ctx.warnings.contains { $0.contains("different vIOMMUs") })
    #expect(q0.users == 1)
  }

  @Test func dependHoldsAndUndependReleases() throws {
    let (f, q0, q1) = try twoQueues()
    try f.ctx.depend(q1, on: q0)
    #expect(q0.users == 2)
    #expect(f.ctx.dependencies(of: q1).map(\.id) == [q0.id])
    expectErrno(.ebusy) { try f.ctx.destroy(q0.id) }
    f.ctx.undepend(q1, on: q0)
    #expect(q0.users == 1)
    try f.ctx.destroy(q0.id)
  }

  @Test func cycleIsEINVAL() throws {
    let (f, q0, q1) = try twoQueues()
    try f.ctx.depend(q1, on: q0)
    let error = expectErrno(.einval) { try f.ctx.depend(q0, on: q1) }
    #expect(error?.message.contains("cycle") == true)
    #expect(q1.users == 1)
    #expect(q0.users == 2)
  }

  @Test func longerCycleIsEINVAL() throws {
    let f = try Fixture()
    f.mock.dependOnPrevious = false
    f.mock.maxQueues = 3
    let ids = [
      try f.allocQueue(index: 0), try f.allocQueue(index: 1, iova: Fixture.queueIOVA + 0x1000),
      try f.allocQueue(index: 2, iova: Fixture.queueIOVA + 0x2000),
    ]
    let q = ids.map { f.ctx.object($0) as! HWQueue }
    try f.ctx.depend(q[1], on: q[0])
    try f.ctx.depend(q[2], on: q[1])
    expectErrno(.einval) { try f.ctx.depend(q[0], on: q[2]) }
    #expect(q.map(\.users) == [2, 2, 1])
    // close() still tears the chain down leaves first once the edges go.
    f.ctx.undepend(q[2], on: q[1])
    f.ctx.undepend(q[1], on: q[0])
    #expect(f.ctx.close().isClean)
  }

  @Test func undependWarnings() throws {
    let (f, q0, q1) = try twoQueues()
    f.ctx.undepend(q1, on: q0)  // never depended
    f.ctx.undependObject(q0, on: q0)  // self
    f.ctx.undependObject(q0, on: f.viommuObject)  // type
    #expect(f.ctx.warnings.count == 3)
    #expect(q0.users == 1)
  }
}
