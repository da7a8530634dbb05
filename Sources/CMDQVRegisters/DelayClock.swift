/// Time as a driver sees it: `udelay` and a cycle counter for poll budgets.
///
/// The hardware model implements this by stepping itself, so a driver's
/// `readl_poll_timeout` loop is deterministic and counted in model cycles,
/// never in host time.
public protocol DelayClock: AnyObject {
  /// The current model cycle.
  var currentCycle: UInt64 { get }
  /// How many model cycles make one microsecond of driver time.
  var cyclesPerMicrosecond: UInt64 { get }
  /// `udelay(microseconds)`: lets the hardware run for that long.
  func delay(microseconds: UInt64)
  /// Stands in for iterations of a poll loop (one MMIO read, then
  /// `udelay(1)`): when nothing a driver can observe will change for a while
  /// (the hardware is idle, no interrupt is waiting), advances time by as
  /// many whole microseconds of that stretch as it can, at most `limit`, and
  /// returns how many; otherwise returns 0 without moving. Every read skipped
  /// would have returned the same value.
  func skipIdlePoll(upToMicroseconds limit: UInt64) -> UInt64
  /// Why the hardware is not doing what a waiting driver expects (a stuck
  /// handshake, a stalled queue), or `nil`. A poll that times out appends it
  /// to its ETIMEDOUT so the failure names its cause.
  var stallDiagnosis: String? { get }
  /// Whether the hardware can change nothing on its own any more (no
  /// handshake that will complete, no queue that can consume, nothing left
  /// to deliver): then every read returns what it returns now until
  /// software acts.
  var hardwareIsQuiescent: Bool { get }
}

extension DelayClock {
  /// A clock that cannot tell when the hardware is idle never skips.
  public func skipIdlePoll(upToMicroseconds limit: UInt64) -> UInt64 { 0 }
  public var stallDiagnosis: String? { nil }
  public var hardwareIsQuiescent: Bool { false }
}
