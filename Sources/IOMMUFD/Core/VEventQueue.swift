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

  var queue: [VEvent] = []

  init(viommu: VIOMMU, eventType: UInt32, depth: UInt32) {
    self.viommu = viommu
    self.eventType = eventType
    self.depth = depth
    super.init(type: .veventq)
  }
}
