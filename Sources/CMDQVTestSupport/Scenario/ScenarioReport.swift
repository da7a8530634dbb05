import CMDQVModel
import CMDQVRegisters

/// The outcome of a scenario run and a readable summary of what happened.
public struct ScenarioReport: Sendable {
  public var scenarioName: String
  public var file: String
  /// `nil` when every step ran and every expectation held.
  public var failure: ScenarioFailure?
  public var stepsRun: Int
  public var totalSteps: Int
  public var cycles: UInt64
  public var mmioAccesses: Int
  /// Commands executed per queue (`VINTF1/VCMDQ2/LVCMDQ0`, `SMMU_CMDQ`), in first-seen order.
  public var commandsPerQueue: [(queue: String, count: Int)]
  /// The command errors kept (the device keeps the first and last
  /// `logLimit`); ``commandErrorCount`` counts them all.
  public var commandErrors: [String]
  public var commandErrorCount: Int
  /// The faults kept, with the total and dropped counts.
  public var faults: BoundedLog<DeviceFault>
  public var accessFaultCount: Int
  public var violationCount: Int
  public var interrupts: Int
  public var smmuInterrupts: Int
  public var vEventsRead: Int
  /// Command errors and faults with their step, expected or not.
  public var incidents: [ScenarioIncident]
  /// The incidents no step expected.
  public var unexpectedIncidents: [ScenarioIncident] { incidents.filter { !$0.expected } }

  public var passed: Bool { failure == nil && stepsRun == totalSteps }

  init(execution e: ScenarioExecution) {
    let d = e.system.device
    scenarioName = e.scenario.name
    file = e.scenario.file
    failure = e.failure
    stepsRun = e.nextStepIndex
    totalSteps = e.scenario.steps.count
    cycles = d.cycle
    mmioAccesses = e.mmioAccessCount
    var order: [String] = []
    var counts: [String: Int] = [:]
    // Queues whose oldest commands fell out of the log count those too.
    let dropped = d.droppedExecutedCommandsBySource.map { ("\($0.key)", $0.value) }.sorted { $0.0 < $1.0 }
    for (key, n) in dropped {
      if counts[key] == nil { order.append(key) }
      counts[key, default: 0] += n
    }
    for c in d.executedCommands {
      let key = "\(c.source)"
      if counts[key] == nil { order.append(key) }
      counts[key, default: 0] += 1
    }
    commandsPerQueue = order.map { ($0, counts[$0] ?? 0) }
    commandErrors = d.commandErrors.map(\.description)
    commandErrorCount = d.commandErrors.totalCount
    faults = d.faults
    accessFaultCount = d.accessFaults.totalCount
    violationCount = d.violations.totalCount
    interrupts = d.interruptCount
    smmuInterrupts = d.smmuInterruptCount
    vEventsRead = e.eventsRead
    incidents = e.incidents
  }

  /// The summary `cmdqv run` prints: unexpected command errors and faults
  /// first and loud, then the counts, with each error and fault marked
  /// `(expected)` when a step of the scenario expected it.
  public var summary: String {
    var lines: [String] = []
    lines.append("scenario \(scenarioName) (\(file)): \(passed ? "PASSED" : "FAILED")")
    if let failure { lines.append(failure.description) }
    let unexpected = unexpectedIncidents
    if !unexpected.isEmpty {
      lines.append("UNEXPECTED: \(unexpected.count) command error(s)/fault(s) no step expected:")
      for i in unexpected { lines.append("  !! \(i)") }
    }
    lines.append("steps: \(stepsRun)/\(totalSteps)")
    lines.append("cycles: \(cycles)")
    lines.append("MMIO accesses: \(mmioAccesses)")
    let total = commandsPerQueue.reduce(0) { $0 + $1.count }
    lines.append("commands executed: \(total)")
    for (queue, count) in commandsPerQueue { lines.append("  \(queue): \(count)") }
    func mark(_ i: ScenarioIncident) -> String { "  \(i)" + (i.expected ? " (expected)" : " (UNEXPECTED)") }
    func expectedNote(_ list: [ScenarioIncident]) -> String {
      list.isEmpty ? "" : list.allSatisfy(\.expected) ? " (all expected)" : " (\(list.filter(\.expected).count) expected)"
    }
    let errors = incidents.filter { $0.kind == .commandError }
    lines.append("command errors: \(commandErrorCount)" + expectedNote(errors))
    for e in errors { lines.append(mark(e)) }
    let violations = faults.compactMap { if case .violation(let v) = $0 { v } else { nil } }
    let violationIncidents = incidents.filter { $0.kind == .ruleViolation }
    lines.append("rule violations: \(violationCount)" + expectedNote(violationIncidents))
    for (n, v) in violations.enumerated() {
      let note = n < violationIncidents.count ? (violationIncidents[n].expected ? " (expected)" : " (UNEXPECTED)") : ""
      lines.append("  \(v.rule.rawValue) at cycle \(v.cycle): \(v.detail)" + note)
      lines.append("    access: \(v.accessDescription)")
      lines.append("    source: \(v.source)")
    }
    let accessIncidents = incidents.filter { $0.kind == .accessFault }
    lines.append("access faults: \(accessFaultCount)" + expectedNote(accessIncidents))
    for f in accessIncidents { lines.append(mark(f)) }
    if faults.droppedCount > 0 || commandErrorCount > commandErrors.count {
      lines.append(
        "(logs keep the first and the last \(faults.limit) records: \(faults.droppedCount) faults and "
          + "\(commandErrorCount - commandErrors.count) command errors not kept)")
    }
    lines.append("interrupts: CMDQV \(interrupts), SMMU GERROR \(smmuInterrupts)")
    lines.append("vEVENTs read: \(vEventsRead)")
    return lines.joined(separator: "\n") + "\n"
  }
}
