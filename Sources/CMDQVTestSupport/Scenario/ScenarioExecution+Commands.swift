import CMDQVModel
import CMDQVRegisters
import IOMMUFD

extension ScenarioExecution {
  /// `expect_commands`: the commands executed since the previous
  /// `expect_commands` must match the list, in order and in number.
  func checkCommands(_ expected: [CommandExpectation]?) throws(StepFailure) -> String {
    let device = system.device
    let all = device.executedCommands
    let dropped = device.droppedExecutedCommandCount
    // commandMark counts every command executed so far, kept or not.
    let lost = max(0, dropped - commandMark)
    let actual = Array(all[min(max(commandMark - dropped, 0), all.count)...])
    commandMark = device.executedCommandCount
    if lost > 0, expected != nil {
      throw StepFailure(
        "\(lost + actual.count) command(s) ran since the previous expect_commands; the oldest \(lost) fell out of "
          + "the executed-command log, which keeps the last \(device.configuration.executedCommandLimit) "
          + "(CMDQVConfiguration.executedCommandLimit): check commands more often")
    }
    let listing = actual.map { "\n    \($0)" }.joined()
    guard let expected else { return "skipped \(lost + actual.count) command(s)" }
    guard actual.count == expected.count else {
      throw StepFailure("expected \(expected.count) command(s) since the previous expect_commands, got \(actual.count):\(listing)")
    }
    for (i, (e, c)) in zip(expected, actual).enumerated() {
      if let problem = mismatch(e, c) { throw StepFailure("command #\(i + 1) (\(c)): \(problem)") }
    }
    return "\(actual.count) command(s) as expected\(listing)"
  }

  func mismatch(_ e: CommandExpectation, _ c: ExecutedCommand) -> String? {
    if let op = e.op, c.opcode != op { return "op is \(c.opcode?.mnemonic ?? "unknown"), expected \(op.mnemonic)" }
    if let sid = e.sid, c.streamID != sid { return "sid is \(c.streamID.map { hex($0) } ?? "none"), expected \(hex(sid))" }
    if let vsid = e.vsid, c.virtualStreamID != vsid {
      return "vSID is \(c.virtualStreamID.map { hex($0) } ?? "none"), expected \(hex(vsid))"
    }
    if let ref = e.vmid {
      let want: UInt16
      switch ref {
      case .value(let v): want = v
      case .hwpt(let name):
        guard let id = ids[name], let v = (system.context.object(id) as? HWPTPaging)?.vmid else {
          return "HWPT '\(name)' has no VMID"
        }
        want = v
      }
      if c.vmid != want { return "vmid is \(c.vmid.map { hex($0) } ?? "none"), expected \(hex(want))" }
    }
    if let asid = e.asid, c.asid != asid { return "asid is \(c.asid.map { hex($0) } ?? "none"), expected \(hex(asid))" }
    if let addr = e.addr, c.address != addr { return "addr is \(c.address.map { hex($0) } ?? "none"), expected \(hex(addr))" }
    if let source = e.source, !Self.sourceNames(c.source).contains(source.uppercased()) {
      return "source is \(c.source), expected \(source)"
    }
    return nil
  }

  /// Every spelling that names `source`.
  static func sourceNames(_ source: CommandQueueID) -> Set<String> {
    switch source {
    case .smmuCMDQ: ["SMMU_CMDQ"]
    case .vcmdq(let index, let vintf, let lvcmdq):
      ["\(source)".uppercased(), "VINTF\(vintf)/LVCMDQ\(lvcmdq)", "VCMDQ\(index)"]
    }
  }
}
