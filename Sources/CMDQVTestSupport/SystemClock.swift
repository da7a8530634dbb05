import CMDQVModel
import CMDQVRegisters

/// The delay/poll clock a booted system hands its drivers: `udelay` steps the
/// model, and interrupts raised meanwhile are delivered right after, the way
/// an IRQ arrives while a CPU spins in `readl_poll_timeout`.
public final class SystemClock: DelayClock {
  unowned let device: CMDQVDevice
  /// Runs after every delay (the system delivers interrupts here).
  var afterDelay: (() -> Void)?
  /// Whether an interrupt edge is waiting for its handler.
  var hasUndeliveredInterrupts: (() -> Bool)?

  init(device: CMDQVDevice) { self.device = device }

  public var currentCycle: UInt64 { device.currentCycle }
  public var cyclesPerMicrosecond: UInt64 { device.cyclesPerMicrosecond }

  public var stallDiagnosis: String? { device.stallDiagnosis }
  public var hardwareIsQuiescent: Bool { device.hardwareIsQuiescent && !(hasUndeliveredInterrupts?() ?? false) }

  /// Idle stretches cost one jump (the model's stepping is event-driven).
  public func delay(microseconds: UInt64) {
    device.delay(microseconds: microseconds)
    afterDelay?()
  }

  /// Skips only when every interrupt raised so far has been delivered (a
  /// handler may change what the driver reads next).
  public func skipIdlePoll(upToMicroseconds limit: UInt64) -> UInt64 {
    if hasUndeliveredInterrupts?() == true { return 0 }
    return device.skipIdlePoll(upToMicroseconds: limit)
  }
}
