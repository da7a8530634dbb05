/// One record read from a vEVENTQ fd: `struct iommufd_vevent_header`
/// (`flags`, `sequence`) followed by the driver's data, or the lost-events
/// header (`IOMMU_VEVENTQ_FLAG_LOST_EVENTS`) queued in place of events that did
/// not fit.
public struct VEvent: Hashable, Sendable, CustomStringConvertible {
  /// `header.sequence`: every reported event, lost or not, consumes one.
  public var sequence: UInt32
  /// The payload.
  public var kind: Kind
  /// The vEVENTQ type the event was reported with
  /// (`IOMMU_VEVENTQ_TYPE_*`), `nil` for the lost-events header.
  public var type: UInt32?

  public init(sequence: UInt32, kind: Kind, type: UInt32? = nil) {
    self.sequence = sequence
    self.kind = kind
    self.type = type
  }

  public enum Kind: Hashable, Sendable {
    /// A queued event with the driver's data.
    case event(data: [UInt8])
    /// `IOMMU_VEVENTQ_FLAG_LOST_EVENTS`: `count` events were dropped since
    /// the last lost-events header was read (the count is a model addition;
    /// the kernel header carries only the sequence of the last lost event).
    case lostEvents(count: Int)
  }

  public var isLostEvents: Bool {
    if case .lostEvents = kind { return true }
    return false
  }

  public var description: String {
    switch kind {
    case .event(let data):
      if let maps = lvcmdqErrorMaps {
        "#\(sequence) TEGRA241_CMDQV lvcmdq_err_map[0]=0x\(hex16(maps[0])) lvcmdq_err_map[1]=0x\(hex16(maps[1]))"
      } else {
        "#\(sequence) event type \(type.map(String.init) ?? "?") \(data.count) bytes"
      }
    case .lostEvents(let count): "#\(sequence) LOST_EVENTS (\(count) lost)"
    }
  }
}
