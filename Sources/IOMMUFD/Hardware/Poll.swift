import CMDQVRegisters

/// `readl_poll_timeout(addr, val, cond, 1, ARM_SMMU_POLL_TIMEOUT_US)`: read,
/// test, `udelay(1)`, until `condition` holds or the budget runs out.
struct Poll {
  /// `ARM_SMMU_POLL_TIMEOUT_US`: one second.
  static let timeoutMicroseconds: UInt64 = 1_000_000

  /// Returns the last value read when `condition` holds, or throws
  /// `ETIMEDOUT` naming `what` and the last value after the budget (counted in
  /// the clock's model cycles).
  static func until(
    clock: any DelayClock, timeoutMicroseconds: UInt64 = Poll.timeoutMicroseconds, what: @autoclosure () -> String,
    read: () -> UInt32, _ condition: (UInt32) -> Bool
  ) throws(Errno) -> UInt32 {
    let deadline = clock.currentCycle &+ timeoutMicroseconds &* clock.cyclesPerMicrosecond
    while true {
      let value = read()
      if condition(value) { return value }
      if clock.currentCycle >= deadline {
        let diagnosis = clock.stallDiagnosis.map { "; model: \($0)" } ?? ""
        throw Errno.etimedout(
          "\(what()) (last value 0x\(String(value, radix: 16, uppercase: true)), \(timeoutMicroseconds) us)\(diagnosis)")
      }
      // While the hardware is idle every read up to the deadline would return
      // `value`: jump over them (the last read still happens at the deadline).
      let perMicrosecond = clock.cyclesPerMicrosecond
      let left = (deadline - clock.currentCycle + perMicrosecond - 1) / perMicrosecond
      if clock.skipIdlePoll(upToMicroseconds: left) == 0 { clock.delay(microseconds: 1) }
    }
  }
}
