extension IOMMUFDContext {
  /// The largest `veventq_depth` this model accepts. The kernel
  /// (`iommufd_veventq_alloc`, drivers/iommu/iommufd/eventq.c, v6.17) sets no
  /// limit; the model picks `1 << 19` (a model choice, documented in
  /// Docs/Driver.md).
  public static let maxVEventQueueDepth: UInt32 = 1 << 19

  /// `IOMMU_VEVENTQ_ALLOC` (`iommufd_veventq_alloc`); returns
  /// `out_veventq_id`:
  /// 1. `flags != 0` or `type == IOMMU_VEVENTQ_TYPE_DEFAULT` → `EOPNOTSUPP`;
  /// 2. `depth == 0` or `depth > maxVEventQueueDepth` → `EINVAL`;
  /// 3. bad `viommu` → `ENOENT`;
  /// 4. a vEVENTQ of this type already exists on the vIOMMU → `EEXIST`.
  ///
  /// The vEVENTQ holds a `users` reference on the vIOMMU.
  public func allocVEventQueue(viommu viommuID: UInt32, type: UInt32, depth: UInt32, flags: UInt32 = 0)
    throws(Errno) -> UInt32
  {
    guard flags == 0 else { throw Errno.eopnotsupp("IOMMU_VEVENTQ_ALLOC: flags 0x\(hex(UInt64(flags))) != 0") }
    guard type != 0 else { throw Errno.eopnotsupp("IOMMU_VEVENTQ_ALLOC: type is IOMMU_VEVENTQ_TYPE_DEFAULT") }
    guard depth != 0, depth <= Self.maxVEventQueueDepth else {
      throw Errno.einval("IOMMU_VEVENTQ_ALLOC: veventq_depth \(depth) not in 1...\(Self.maxVEventQueueDepth)")
    }
    let viommu = try lookup(viommuID, .viommu, "IOMMU_VEVENTQ_ALLOC") as! VIOMMU
    lockObject(viommu)
    defer { putObject(viommu) }
    if let existing = viommu.eventQueues.first(where: { $0.eventType == type }) {
      throw Errno.eexist(
        "IOMMU_VEVENTQ_ALLOC: vIOMMU \(viommuID) already has vEVENTQ \(existing.id) of type \(type)")
    }
    let queue = VEventQueue(viommu: viommu, eventType: type, depth: depth)
    try allocateObject(queue)
    viommu.users += 1
    viommu.eventQueues.append(queue)
    finalize(queue)
    return queue.id
  }

  func destroyVEventQueue(_ queue: VEventQueue) {
    queue.viommu.eventQueues.removeAll { $0 === queue }
    queue.queue.removeAll()
    queue.viommu.users -= 1
  }

  /// `iommufd_viommu_report_event` (driver-facing, e.g. from the CMDQV ISR):
  /// 1. empty `data` (WARN) → `EINVAL`;
  /// 2. no vEVENTQ of `type` on the vIOMMU → `EOPNOTSUPP`;
  /// 3. the queue is full (`num_events == depth`), or the event allocation
  ///    fails (`ENOMEM`, fault injection), → the lost-events header is queued
  ///    (or, if already queued, moved to the tail with the new sequence) and
  ///    the event is counted as lost; for `ENOMEM` the errno is also thrown.
  ///
  /// Every report consumes a sequence number (`& INT_MAX`).
  public func reportEvent(viommu: VIOMMU, type: UInt32, data: [UInt8]) throws(Errno) {
    guard !data.isEmpty else {
      warn("iommufd_viommu_report_event: data_len == 0")
      throw Errno.einval("iommufd_viommu_report_event: empty event data")
    }
    guard let queue = viommu.eventQueues.first(where: { $0.eventType == type }) else {
      throw Errno.eopnotsupp("iommufd_viommu_report_event: vIOMMU \(viommu.id) has no vEVENTQ of type \(type)")
    }
    let sequence = queue.sequence
    queue.sequence = (queue.sequence &+ 1) & UInt32(Int32.max)
    var failure: Errno?
    if failNextEventAllocation {
      failNextEventAllocation = false
      failure = Errno.enomem("iommufd_viommu_report_event: event allocation failed (fault injection)")
    }
    if failure == nil && queue.numEvents < Int(queue.depth) {
      queue.queue.append(VEvent(sequence: sequence, kind: .event(data: data)))
      return
    }
    queue.totalLostEvents += 1
    var lost = 1
    if let index = queue.queue.firstIndex(where: \.isLostEvents) {
      if case .lostEvents(let count) = queue.queue[index].kind { lost += count }
      queue.queue.remove(at: index)
    }
    queue.queue.append(VEvent(sequence: sequence, kind: .lostEvents(count: lost)))
    if let failure { throw failure }
  }

  /// `read()` on the vEVENTQ fd: dequeues up to `maxCount` records in order
  /// (events and the lost-events header).
  /// Bad `veventq` → `ENOENT`; a negative `maxCount` → `EINVAL` (no
  /// `read(2)` count is negative).
  public func readEvents(_ veventqID: UInt32, maxCount: Int = .max) throws(Errno) -> [VEvent] {
    let queue = try lookup(veventqID, .veventq, "vEVENTQ read") as! VEventQueue
    guard maxCount >= 0 else { throw Errno.einval("vEVENTQ read: maxCount \(maxCount) is negative") }
    let count = min(maxCount, queue.queue.count)
    let events = Array(queue.queue.prefix(count))
    queue.queue.removeFirst(count)
    return events
  }
}
