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

  /// `sizeof(struct iommufd_vevent_header)`.
  public static let headerSize = 8
  /// `IOMMU_VEVENTQ_FLAG_LOST_EVENTS`.
  public static let flagLostEvents: UInt32 = 1 << 0

  /// `struct iommufd_vevent_header { __u32 flags; __u32 sequence; }` as
  /// `read()` copies it, little-endian.
  public var headerBytes: [UInt8] {
    let flags: UInt32 = isLostEvents ? Self.flagLostEvents : 0
    return (0..<4).map { UInt8(truncatingIfNeeded: flags >> UInt32(8 * $0)) }
      + (0..<4).map { UInt8(truncatingIfNeeded: sequence >> UInt32(8 * $0)) }
  }

  /// Splits what ``IOMMUFDContext/read(veventq:count:offset:)`` returned back
  /// into records, given each event type's payload size (a reader knows it
  /// from the vEVENTQ type: 16 for TEGRA241_CMDQV, 32 for ARM_SMMUV3).
  /// Returns `nil` if the bytes do not end on a record boundary. The
  /// lost-events records come back with count 0 (the count is not in the
  /// bytes).
  public static func parse(_ bytes: [UInt8], type: UInt32, payloadSize: Int) -> [VEvent]? {
    var events: [VEvent] = []
    var at = 0
    func le32(_ offset: Int) -> UInt32 {
      (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
    }
    while at < bytes.count {
      guard bytes.count - at >= headerSize else { return nil }
      let flags = le32(at)
      let sequence = le32(at + 4)
      at += headerSize
      if flags & flagLostEvents != 0 {
        events.append(VEvent(sequence: sequence, kind: .lostEvents(count: 0)))
        continue
      }
      guard bytes.count - at >= payloadSize else { return nil }
      events.append(VEvent(sequence: sequence, kind: .event(data: Array(bytes[at..<(at + payloadSize)])), type: type))
      at += payloadSize
    }
    return events
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
