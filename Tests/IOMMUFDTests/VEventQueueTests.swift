import IOMMUFD
import Testing

struct VEventQueueTests {
  @Test func allocChecksInOrder() throws {
    let f = try Fixture()
    expectErrno(.eopnotsupp) { try f.ctx.allocVEventQueue(viommu: 999, type: 1, depth: 0, flags: 1) }
    expectErrno(.eopnotsupp) { try f.ctx.allocVEventQueue(viommu: 999, type: 0, depth: 0) }
    expectErrno(.einval) { try f.ctx.allocVEventQueue(viommu: 999, type: 1, depth: 0) }
    expectErrno(.einval) {
      try f.ctx.allocVEventQueue(viommu: 999, type: 1, depth: IOMMUFDContext.maxVEventQueueDepth + 1)
    }
    expectErrno(.enoent) { try f.ctx.allocVEventQueue(viommu: 999, type: 1, depth: 1) }
    let q = try f.ctx.allocVEventQueue(viommu: f.viommu, type: 1, depth: IOMMUFDContext.maxVEventQueueDepth)
    expectErrno(.eexist) { try f.ctx.allocVEventQueue(viommu: f.viommu, type: 1, depth: 4) }
    // Another type is fine.
    _ = try f.ctx.allocVEventQueue(viommu: f.viommu, type: 2, depth: 4)
    #expect(f.ctx.users(of: f.viommu) == 3)
    try f.ctx.destroy(q)
    _ = try f.ctx.allocVEventQueue(viommu: f.viommu, type: 1, depth: 4)
    expectErrno(.enoent) { try f.ctx.readEvents(f.viommu) }
  }

  @Test func reportEventChecks() throws {
    let f = try Fixture()
    expectErrno(.einval) { try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: []) }
    expectErrno(.eopnotsupp) { try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: [1]) }
  }

  @Test func eventsCarrySequenceNumbers() throws {
    let f = try Fixture()
    let q = try f.ctx.allocVEventQueue(viommu: f.viommu, type: 2, depth: 4)
    for i in 0..<3 { try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: [UInt8(i)]) }
    let events = try f.ctx.readEvents(q, maxCount: 2)
    #expect(events == [VEvent(sequence: 0, kind: .event(data: [0]), type: 2), VEvent(sequence: 1, kind: .event(data: [1]), type: 2)])
    #expect(try f.ctx.readEvents(q) == [VEvent(sequence: 2, kind: .event(data: [2]), type: 2)])
    #expect(try f.ctx.readEvents(q).isEmpty)
  }

  @Test func overflowQueuesOneLostEventsHeaderAndCountsLosses() throws {
    let f = try Fixture()
    let q = try f.ctx.allocVEventQueue(viommu: f.viommu, type: 2, depth: 2)
    let queue = try #require(f.ctx.object(q) as? VEventQueue)
    for i in 0..<5 { try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: [UInt8(i)]) }
    #expect(queue.numEvents == 2)
    #expect(queue.totalLostEvents == 3)
    let events = try f.ctx.readEvents(q)
    #expect(
      events == [
        VEvent(sequence: 0, kind: .event(data: [0]), type: 2),
        VEvent(sequence: 1, kind: .event(data: [1]), type: 2),
        // The header carries the sequence of the last lost event.
        VEvent(sequence: 4, kind: .lostEvents(count: 3)),
      ])
    // After reading, there is room again and sequences keep counting.
    try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: [9])
    #expect(try f.ctx.readEvents(q) == [VEvent(sequence: 5, kind: .event(data: [9]), type: 2)])
    #expect(queue.totalLostEvents == 3)
  }

  @Test func lostHeaderMovesToTheTail() throws {
    let f = try Fixture()
    let q = try f.ctx.allocVEventQueue(viommu: f.viommu, type: 2, depth: 1)
    try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: [0])
    try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: [1])  // lost
    #expect(try f.ctx.readEvents(q, maxCount: 1) == [VEvent(sequence: 0, kind: .event(data: [0]), type: 2)])
    try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: [2])  // fits
    try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: [3])  // lost
    #expect(
      try f.ctx.readEvents(q) == [
        VEvent(sequence: 2, kind: .event(data: [2]), type: 2), VEvent(sequence: 3, kind: .lostEvents(count: 2)),
      ])
  }

  @Test func enomemQueuesALostHeaderToo() throws {
    let f = try Fixture()
    let q = try f.ctx.allocVEventQueue(viommu: f.viommu, type: 2, depth: 8)
    f.ctx.failNextEventAllocation = true
    expectErrno(.enomem) { try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: [1]) }
    #expect(try f.ctx.readEvents(q) == [VEvent(sequence: 0, kind: .lostEvents(count: 1))])
  }
}
