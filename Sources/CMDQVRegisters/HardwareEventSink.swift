/// Something that receives every ``HardwareEvent`` of a device as it happens
/// (a trace writer, a recorder in a test). Events arrive in sequence order on
/// the caller's thread.
public protocol HardwareEventSink: AnyObject {
  func record(_ event: HardwareEvent)
}
