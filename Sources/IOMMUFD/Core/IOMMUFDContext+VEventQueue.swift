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

  /// `iommufd_viommu_report_event` (driver-facing, e.g. from the CMDQV ISR;
  /// driver.c, v6.17):
  /// 1. empty `data` (WARN) → `EINVAL`;
  /// 2. no vEVENTQ of `type` on the vIOMMU → `EOPNOTSUPP`;
  /// 3. the queue is full (`num_events == depth`), or the event allocation
  ///    fails (`ENOMEM`, fault injection): the event is lost and the
  ///    lost-events header is queued in its place; for `ENOMEM` the errno is
  ///    also thrown (a full queue returns 0).
  ///
  /// Then `iommufd_vevent_handler`: a lost-events header at the tail is
  /// unlinked, the new node (possibly that header) is appended and takes the
  /// next sequence number (`& INT_MAX`). So every report consumes a sequence
  /// number, the header is queued at most once and always last, and a real
  /// event that follows losses drops the header: the reader then sees the
  /// loss only as a gap in the sequence.
  public func reportEvent(viommu: VIOMMU, type: UInt32, data: [UInt8]) throws(Errno) {
    guard !data.isEmpty else {
      warn("iommufd_viommu_report_event: data_len == 0")
      throw Errno.einval("iommufd_viommu_report_event: empty event data")
    }
    guard let queue = viommu.eventQueues.first(where: { $0.eventType == type }) else {
      throw Errno.eopnotsupp("iommufd_viommu_report_event: vIOMMU \(viommu.id) has no vEVENTQ of type \(type)")
    }
    var failure: Errno?
    var lost = queue.numEvents >= Int(queue.depth)
    if !lost && failNextEventAllocation {
      failNextEventAllocation = false
      failure = Errno.enomem("iommufd_viommu_report_event: event allocation failed (fault injection)")
      lost = true
    }
    let sequence = queue.sequence
    queue.sequence = (queue.sequence &+ 1) & UInt32(Int32.max)
    if queue.queue.last?.isLostEvents == true { queue.queue.removeLast() }
    if lost {
      queue.totalLostEvents += 1
      queue.lostSinceDelivered += 1
      queue.queue.append(VEvent(sequence: sequence, kind: .lostEvents(count: queue.lostSinceDelivered)))
    } else {
      queue.queue.append(VEvent(sequence: sequence, kind: .event(data: data), type: type))
    }
    if let failure { throw failure }
  }

  /// `read()` on the vEVENTQ fd, as records: dequeues up to `maxCount`
  /// records in order (events and the lost-events header), from the same
  /// queue ``read(veventq:count:offset:)`` reads bytes from. Bad `veventq` →
  /// `ENOENT`; a negative `maxCount` → `EINVAL` (no `read(2)` count is
  /// negative).
  public func readEvents(_ veventqID: UInt32, maxCount: Int = .max) throws(Errno) -> [VEvent] {
    let queue = try lookup(veventqID, .veventq, "vEVENTQ read") as! VEventQueue
    guard maxCount >= 0 else { throw Errno.einval("vEVENTQ read: maxCount \(maxCount) is negative") }
    var events: [VEvent] = []
    while events.count < maxCount, let event = deliverEvent(queue) { events.append(event) }
    return events
  }

  /// `read(fd, buf, count)` on the vEVENTQ fd at byte level
  /// (`iommufd_veventq_fops_read`, eventq.c, v6.17). Returns the bytes the
  /// kernel copies (their count is `read`'s return value; empty = 0):
  /// 1. `offset` (`*ppos`) != 0 → `ESPIPE` (`pread` on the fd);
  /// 2. records are taken from the head while they fit: each is the 8-byte
  ///    `struct iommufd_vevent_header { __u32 flags; __u32 sequence; }`
  ///    followed by the event's data. A record is never split: one that does
  ///    not fit in what is left of `count` stays queued and the read stops. The
  ///    lost-events header (`flags` = `IOMMU_VEVENTQ_FLAG_LOST_EVENTS`, no
  ///    data) needs 8 bytes.
  /// 3. A count too small for the first record (0 included) returns no bytes
  ///    (0), not an error; so does an empty queue (reads never block).
  /// No such vEVENTQ (so no fd) → `EBADF`; a negative `count` → `EINVAL`.
  public func read(veventq veventqID: UInt32, count: Int, offset: Int64 = 0) throws(Errno) -> [UInt8] {
    guard case .live(let object) = slots[veventqID], let queue = object as? VEventQueue else {
      throw Errno.ebadf("read: no vEVENTQ fd for ID \(veventqID)")
    }
    guard count >= 0 else { throw Errno.einval("read: count \(count) is negative") }
    guard offset == 0 else { throw Errno.espipe("read: vEVENTQ fd at offset \(offset) (*ppos != 0)") }
    var bytes: [UInt8] = []
    while let head = queue.queue.first {
      let left = count - bytes.count
      guard left >= VEvent.headerSize else { break }
      if case .event(let data) = head.kind, VEvent.headerSize + data.count > left { break }
      guard let event = deliverEvent(queue) else { break }
      bytes += event.headerBytes
      if case .event(let data) = event.kind { bytes += data }
    }
    return bytes
  }

  /// Takes the head record off the queue (`iommufd_veventq_deliver_fetch`
  /// and a successful copy). A delivered lost-events header reports (and
  /// resets) the losses since the last one delivered.
  func deliverEvent(_ queue: VEventQueue) -> VEvent? {
    guard !queue.queue.isEmpty else { return nil }
    var event = queue.queue.removeFirst()
    if event.isLostEvents {
      event.kind = .lostEvents(count: queue.lostSinceDelivered)
      queue.lostSinceDelivered = 0
    }
    return event
  }
}
