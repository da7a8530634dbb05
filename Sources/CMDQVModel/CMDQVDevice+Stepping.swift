import CMDQVRegisters

extension CMDQVDevice {
  /// One cycle: pending handshakes advance, then the running queues consume
  /// up to `commandsPerCycle` commands between them, round-robin.
  public func step() {
    hot.pointee.cycle += 1
    if handshakesPending { advanceHandshakes() }
    if runnableDirty { rebuildRunnable() }
    if !runnable.isEmpty { if observed { consumeReportingCONS() } else { consume() } }
  }

  /// `cycles` cycles.
  public func step(cycles: Int) {
    for _ in 0..<max(cycles, 0) { step() }
  }

  /// Steps until `condition` holds (checked before every cycle) or
  /// `maxCycles` cycles have run; returns whether the condition held.
  @discardableResult
  public func run(until condition: (CMDQVDevice) -> Bool, maxCycles: Int) -> Bool {
    for _ in 0..<max(maxCycles, 0) {
      if condition(self) { return true }
      step()
    }
    return condition(self)
  }
}

extension CMDQVDevice: DelayClock {
  public var currentCycle: UInt64 { cycle }
  public var cyclesPerMicrosecond: UInt64 { configuration.cyclesPerMicrosecond }

  /// `udelay`: the hardware runs for `microseconds × cyclesPerMicrosecond` cycles.
  public func delay(microseconds: UInt64) {
    step(cycles: Int(clamping: microseconds &* configuration.cyclesPerMicrosecond))
  }
}
