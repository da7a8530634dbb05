import CMDQVRegisters

/// A CONFIG→STATUS handshake in flight: STATUS shows `current` and becomes
/// `target` after `remaining` more cycles.
struct Handshake {
  var current: UInt32 = 0
  var target: UInt32 = 0
  /// Cycles left; -1 when idle.
  var remaining = -1
  /// Injected fault: the handshake never completes.
  var stuck = false

  var isPending: Bool { remaining >= 0 }

  /// Starts moving towards `value`. Returns `true` when the change must be
  /// applied at once (latency 0, not stuck).
  mutating func request(_ value: UInt32, latency: Int) -> Bool {
    if isPending && target == value { return false }
    if current == value {
      remaining = -1  // a write back to the current state cancels the transition
      return false
    }
    target = value
    if latency == 0 && !stuck {
      remaining = -1
      return true
    }
    remaining = latency
    return false
  }

  /// One cycle; `true` when the transition completes now.
  mutating func tick() -> Bool {
    guard isPending, !stuck else { return false }
    if remaining > 0 { remaining -= 1 }
    guard remaining == 0 else { return false }
    remaining = -1
    return true
  }
}
