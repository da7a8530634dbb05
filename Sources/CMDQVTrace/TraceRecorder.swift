import CMDQVRegisters

/// A sink that keeps records in memory for assertions. It keeps the first
/// `capacity` records and counts the rest in ``dropped`` (keeping the head,
/// not the tail, so an in-order subsequence check never silently sees a
/// trace with its beginning cut off).
public final class TraceRecorder: HardwareEventSink {
  public let capacity: Int
  public private(set) var records: [TraceRecord] = []
  /// Events received after the recorder was full.
  public private(set) var dropped = 0

  public init(capacity: Int = 1_000_000) {
    precondition(capacity >= 0, "capacity must not be negative")
    self.capacity = capacity
  }

  public func record(_ event: HardwareEvent) {
    guard records.count < capacity else {
      dropped += 1
      return
    }
    records.append(TraceRecord(event))
  }

  /// Forgets everything recorded so far.
  public func reset() {
    records.removeAll()
    dropped = 0
  }

  /// The recorded MMIO writes, filtered (see ``Swift/Sequence/writes(initiator:aperture:register:where:)``).
  public func writes(
    initiator: String? = nil, aperture: String? = nil, register: String? = nil,
    where predicate: ((TraceRecord) -> Bool)? = nil
  ) -> [TraceRecord] {
    records.writes(initiator: initiator, aperture: aperture, register: register, where: predicate)
  }

  /// The recorded trace as text lines.
  public var text: String { records.map { $0.textLine + "\n" }.joined() }
}
