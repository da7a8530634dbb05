import CMDQVRegisters

extension CMDQVDevice {
  /// Appends to ``faults``; the first time the log has to drop a record it
  /// says so in the event stream (the summary gives the final count).
  func logFault(_ fault: DeviceFault) {
    faults.append(fault)
    if faults.droppedCount == 1 { announceDropping("fault", limit: faults.limit) }
  }

  func logCommandError(_ error: CommandError) {
    commandErrors.append(error)
    if commandErrors.droppedCount == 1 { announceDropping("command error", limit: commandErrors.limit) }
  }

  private func announceDropping(_ what: String, limit: Int) {
    note("\(what) log full: keeping the first \(limit) and the last \(limit) records; the rest are only counted")
  }
}
