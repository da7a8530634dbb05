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

/// `read()` on the vEVENTQ fd at byte level (`iommufd_veventq_fops_read`,
/// eventq.c, v6.17).
@Suite struct VEventQueueByteReadTests {
  static func setUp(depth: UInt32) throws -> (Fixture, UInt32, VEventQueue) {
    let f = try Fixture()
    let q = try f.ctx.allocVEventQueue(viommu: f.viommu, type: 2, depth: depth)
    return (f, q, try #require(f.ctx.object(q) as? VEventQueue))
  }

  func report(_ f: Fixture, _ bytes: [UInt8]) throws { try f.ctx.reportEvent(viommu: f.viommuObject, type: 2, data: bytes) }

  static func header(flags: UInt32, sequence: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: flags >> UInt32(8 * $0)) }
      + (0..<4).map { UInt8(truncatingIfNeeded: sequence >> UInt32(8 * $0)) }
  }

  @Test func fdChecks() throws {
    let (f, q, _) = try Self.setUp(depth: 2)
    try report(f, [1, 2, 3, 4])
    expectErrno(.ebadf) { try f.ctx.read(veventq: 999, count: 64) }
    expectErrno(.ebadf) { try f.ctx.read(veventq: f.viommu, count: 64) }
    expectErrno(.einval) { try f.ctx.read(veventq: q, count: -1) }
    expectErrno(.espipe) { try f.ctx.read(veventq: q, count: 64, offset: 1) }
    #expect(try f.ctx.read(veventq: q, count: 64) == Self.header(flags: 0, sequence: 0) + [1, 2, 3, 4])
  }

  @Test func smallCountsReturnNothingAndEventsAreNeverSplit() throws {
    let (f, q, queue) = try Self.setUp(depth: 4)
    let payload = [UInt8](1...16)  // a TEGRA241_CMDQV event: 24-byte records
    try report(f, payload)
    try report(f, payload)
    for count in [0, 1, 7, 8, 23] {
      #expect(try f.ctx.read(veventq: q, count: count).isEmpty, "count \(count)")
      #expect(queue.numEvents == 2, "count \(count) dequeued something")
    }
    #expect(try f.ctx.read(veventq: q, count: 24) == Self.header(flags: 0, sequence: 0) + payload)
    // 47 bytes hold one record; the second stays whole in the queue.
    try report(f, payload)
    #expect(try f.ctx.read(veventq: q, count: 47).count == 24)
    #expect(try f.ctx.read(veventq: q, count: .max) == Self.header(flags: 0, sequence: 2) + payload)
    #expect(try f.ctx.read(veventq: q, count: .max).isEmpty)
  }

  /// The selftest's trace (`vdevice_alloc`, tools/testing/selftests/iommu/
  /// iommufd.c, v6.17): depth 2, three 4-byte events, a read of 3 × 12
  /// bytes returns two events and the lost-events header, 32 bytes.
  @Test func lostEventsHeaderAfterTheEventsThatFit() throws {
    let (f, q, queue) = try Self.setUp(depth: 2)
    for virtID in [UInt8(0x99), 0x99, 0x99] { try report(f, [virtID, 0, 0, 0]) }
    let bytes = try f.ctx.read(veventq: q, count: 36)
    #expect(
      bytes
        == Self.header(flags: 0, sequence: 0) + [0x99, 0, 0, 0] + Self.header(flags: 0, sequence: 1) + [0x99, 0, 0, 0]
        + Self.header(flags: VEvent.flagLostEvents, sequence: 2))
    #expect(queue.numEvents == 0)
    #expect(try f.ctx.read(veventq: q, count: 36).isEmpty)
    try report(f, [1, 0, 0, 0])
    #expect(try f.ctx.read(veventq: q, count: 12) == Self.header(flags: 0, sequence: 3) + [1, 0, 0, 0])
    #expect(
      VEvent.parse(bytes, type: 2, payloadSize: 4)
        == [
          VEvent(sequence: 0, kind: .event(data: [0x99, 0, 0, 0]), type: 2),
          VEvent(sequence: 1, kind: .event(data: [0x99, 0, 0, 0]), type: 2),
          VEvent(sequence: 2, kind: .lostEvents(count: 0)),
        ])
    #expect(VEvent.parse(Array(bytes.dropLast()), type: 2, payloadSize: 4) == nil)
  }

  @Test func theLostHeaderNeedsOnlyEightBytesAndStaysUntilRead() throws {
    let (f, q, queue) = try Self.setUp(depth: 1)
    try report(f, [7])
    try report(f, [8])  // lost
    try report(f, [9])  // lost: the header moves to sequence 2
    #expect(try f.ctx.read(veventq: q, count: 9) == Self.header(flags: 0, sequence: 0) + [7])
    #expect(try f.ctx.read(veventq: q, count: 7).isEmpty)
    #expect(queue.queuedRecords.count == 1)
    #expect(try f.ctx.read(veventq: q, count: 8) == Self.header(flags: VEvent.flagLostEvents, sequence: 2))
    #expect(queue.queuedRecords.isEmpty)
  }

  @Test func anEventAfterLossesDropsTheHeader() throws {
    let (f, q, _) = try Self.setUp(depth: 1)
    try report(f, [1])
    try report(f, [2])  // lost, header #1 at the tail
    #expect(try f.ctx.read(veventq: q, count: 9) == Self.header(flags: 0, sequence: 0) + [1])
    try report(f, [3])  // fits: iommufd_vevent_handler unlinks the header from the tail
    // Only the gap 0 → 2 shows the loss.
    #expect(try f.ctx.read(veventq: q, count: 100) == Self.header(flags: 0, sequence: 2) + [3])
    // The record reader still counts it, with the next header it delivers.
    try report(f, [4])
    try report(f, [5])  // lost
    #expect(
      try f.ctx.readEvents(q)
        == [VEvent(sequence: 3, kind: .event(data: [4]), type: 2), VEvent(sequence: 4, kind: .lostEvents(count: 2))])
  }

  @Test func recordAndByteReadsShareTheQueue() throws {
    let (f, q, _) = try Self.setUp(depth: 8)
    for i in 0..<4 { try report(f, [UInt8(i), 0xAA]) }
    #expect(try f.ctx.readEvents(q, maxCount: 1) == [VEvent(sequence: 0, kind: .event(data: [0, 0xAA]), type: 2)])
    #expect(try f.ctx.read(veventq: q, count: 20) == Self.header(flags: 0, sequence: 1) + [1, 0xAA] + Self.header(flags: 0, sequence: 2) + [2, 0xAA])
    #expect(try f.ctx.readEvents(q) == [VEvent(sequence: 3, kind: .event(data: [3, 0xAA]), type: 2)])
  }
}
