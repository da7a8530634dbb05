import CMDQVRegisters

extension CMDQVDevice {
  /// One cycle: pending handshakes advance, then the queues that can consume
  /// take up to `commandsPerCycle` commands between them, round-robin.
  public func step() {
    guard hot.pointee.cycle < UInt64.max else { return }  // the counter saturates
    hot.pointee.cycle += 1
    if handshakesPending { advanceHandshakes() }
    if runnableDirty { rebuildRunnable() }
    if runnableCount > 0 {
      if observed { consumeReportingCONS() } else { consumeOneCycle() }
    }
  }

  /// One cycle's command budget, by the engine in use.
  func consumeOneCycle() {
    if _exhaustiveScheduling { consumeExhaustive() } else { consumeReady() }
  }

  /// `cycles` cycles. Stretches in which nothing can change (no queue has
  /// work, no handshake is due) cost one jump, not one step per cycle; the
  /// outcome is the same as calling ``step()`` `cycles` times. ``cycle``
  /// saturates at `UInt64.max`: cycles past it are not run.
  public func step(cycles: Int) {
    var left = min(UInt64(max(cycles, 0)), UInt64.max - cycle)
    while left > 0 {
      let quiet = min(quietCycles(), left)
      if quiet > 0 {
        skipQuiet(quiet)
        left -= quiet
      } else {
        step()
        left -= 1
      }
    }
  }

  /// Steps until `condition` holds (checked before every cycle) or
  /// `maxCycles` cycles have run; returns whether the condition held.
  ///
  /// While the model is idle and unobserved, only ``cycle`` moves, so the
  /// condition is checked once for the whole idle stretch and again when it
  /// ends: a condition on the model's registers or logs sees every change,
  /// but one on ``cycle`` alone should use ``step(cycles:)`` instead. With an
  /// event sink attached every check runs (its reads are events).
  @discardableResult
  public func run(until condition: (CMDQVDevice) -> Bool, maxCycles: Int) -> Bool {
    var left = min(UInt64(max(maxCycles, 0)), UInt64.max - cycle)
    while left > 0 {
      let faultsBefore = faultsRecordedTotal
      if condition(self) { return true }
      // A condition whose reads fault or are traced must run every cycle.
      let quiet = observed || faultsRecordedTotal != faultsBefore ? 0 : min(quietCycles(), left)
      if quiet > 0 {
        skipQuiet(quiet)
        left -= quiet
      } else {
        step()
        left -= 1
      }
    }
    return condition(self)
  }
}

extension CMDQVDevice: DelayClock {
  public var currentCycle: UInt64 { cycle }
  public var cyclesPerMicrosecond: UInt64 { configuration.cyclesPerMicrosecond }

  /// `udelay`: the hardware runs for `microseconds × cyclesPerMicrosecond`
  /// cycles (idle stretches cost one jump, see ``step(cycles:)``).
  public func delay(microseconds: UInt64) {
    let (cycles, overflow) = microseconds.multipliedReportingOverflow(by: configuration.cyclesPerMicrosecond)
    step(cycles: overflow ? Int.max : Int(clamping: cycles))
  }
}
