import CMDQVRegisters

/// Delivers each device event to several sinks in order (a trace file and a
/// recorder at once, say). The device has one `eventSink`; put a fan-out there.
public final class EventFanout: HardwareEventSink {
  public private(set) var sinks: [any HardwareEventSink]

  public init(_ sinks: [any HardwareEventSink] = []) { self.sinks = sinks }

  public func add(_ sink: any HardwareEventSink) { sinks.append(sink) }

  public func remove(_ sink: any HardwareEventSink) { sinks.removeAll { $0 === sink } }

  public func record(_ event: HardwareEvent) {
    for sink in sinks { sink.record(event) }
  }
}

extension CMDQVSystem {
  /// Adds `sink` to the device's event sinks, keeping any already attached.
  public func attach(_ sink: any HardwareEventSink) {
    if let fanout = device.eventSink as? EventFanout {
      fanout.add(sink)
    } else if let existing = device.eventSink {
      device.eventSink = EventFanout([existing, sink])
    } else {
      device.eventSink = EventFanout([sink])
    }
  }

  /// Removes `sink` from the device's event sinks.
  public func detach(_ sink: any HardwareEventSink) {
    if let fanout = device.eventSink as? EventFanout {
      fanout.remove(sink)
      if fanout.sinks.isEmpty { device.eventSink = nil }
    } else if device.eventSink === sink {
      device.eventSink = nil
    }
  }
}
