extension CMDQVDevice: CustomStringConvertible {
  /// The device, each VINTF and each VCMDQ on its own line.
  public var description: String {
    var lines = [
      "CMDQV v\(configuration.version) cycle \(cycle): \(cmdqvEnable.current & 1 != 0 ? "enabled" : "disabled"), "
        + "\(numVINTFs) VINTFs, \(numVCMDQs) VCMDQs, \(numSIDs) SIDs/VINTF; \(executedCommandCount) commands, "
        + "\(commandErrors.totalCount) errors, \(interruptCount) interrupts, \(faults.totalCount) faults"
    ]
    for v in 0..<numVINTFs { lines.append("  " + vintf(v).description) }
    for q in 0..<numVCMDQs { lines.append("  " + vcmdq(q).description) }
    lines.append("  " + smmuDescription)
    return lines.joined(separator: "\n")
  }
}
