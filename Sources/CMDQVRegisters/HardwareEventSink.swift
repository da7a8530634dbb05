/// Something that receives every ``HardwareEvent`` of a device as it happens
/// (a trace writer, a recorder in a test). Events arrive in sequence order on
/// the caller's thread.
public protocol HardwareEventSink: AnyObject {
  func record(_ event: HardwareEvent)

  /// An executed command: the same as ``record(_:)`` with a
  /// ``HardwareEvent/Payload/command(_:)`` payload, which is what the default
  /// implementation does. The device calls this for every command (the most
  /// frequent event), so a sink that encodes commands itself (the trace
  /// writers) can skip building and copying the event.
  func recordCommand(_ command: ExecutedCommand, sequence: UInt64, cycle: UInt64)
}

extension HardwareEventSink {
  public func recordCommand(_ command: ExecutedCommand, sequence: UInt64, cycle: UInt64) {
    record(HardwareEvent(sequence: sequence, cycle: cycle, payload: .command(command)))
  }
}
