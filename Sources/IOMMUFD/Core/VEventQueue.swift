/// `struct iommufd_veventq` (IOMMUFD_OBJ_VEVENTQ), allocated by
/// `IOMMU_VEVENTQ_ALLOC`: one per (vIOMMU, type). Holds a `users` reference on
/// its vIOMMU. Events are delivered by the driver through
/// `iommufd_viommu_report_event` and read by the user.
public final class VEventQueue: IOMMUFDObject {
  /// `veventq->viommu`.
  public let viommu: VIOMMU
  /// `veventq->type` (`enum iommu_veventq_type`).
  public let eventType: UInt32
  /// `veventq->depth`: how many events may be queued.
  public let depth: UInt32
  /// `veventq->num_events`: events queued, not counting the lost-events header.
  public var numEvents: Int { queue.reduce(0) { $1.isLostEvents ? $0 : $0 + 1 } }
  /// `veventq->sequence`: the next sequence number (wraps at `INT_MAX`).
  public internal(set) var sequence: UInt32 = 0
  /// Events reported while the queue was full, in total.
  public internal(set) var totalLostEvents = 0
  /// Events lost since a lost-events header was last delivered to the reader
  /// (the model's count in ``VEvent/Kind/lostEvents(count:)``).
  var lostSinceDelivered = 0

  /// `veventq->common.deliver`. The lost-events header
  /// (`veventq->lost_events_header`), when queued, is always the last entry:
  /// any report unlinks it from the tail before appending
  /// (`iommufd_vevent_handler`, iommufd_private.h, v6.17).
  var queue: [VEvent] = []

  /// What a reader would get, in order, without reading it (the lost-events
  /// header shows the count it would report now).
  public var queuedRecords: [VEvent] {
    queue.map { $0.isLostEvents ? VEvent(sequence: $0.sequence, kind: .lostEvents(count: lostSinceDelivered)) : $0 }
  }

  init(viommu: VIOMMU, eventType: UInt32, depth: UInt32) {
    self.viommu = viommu
    self.eventType = eventType
    self.depth = depth
    super.init(type: .veventq)
  }
}
