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
  }

  /// The summary `cmdqv run` prints.
  public var summary: String {
    var lines: [String] = []
    lines.append("scenario \(scenarioName) (\(file)): \(passed ? "PASSED" : "FAILED")")
    if let failure { lines.append(failure.description) }
    lines.append("steps: \(stepsRun)/\(totalSteps)")
    lines.append("cycles: \(cycles)")
    lines.append("MMIO accesses: \(mmioAccesses)")
    let total = commandsPerQueue.reduce(0) { $0 + $1.count }
    lines.append("commands executed: \(total)")
    for (queue, count) in commandsPerQueue { lines.append("  \(queue): \(count)") }
    lines.append("command errors: \(commandErrorCount)")
    let keptErrors = commandErrors.count
    let droppedErrors = commandErrorCount - keptErrors
    for (i, e) in commandErrors.enumerated() {
      // The device keeps the first and the last records; say where the gap is.
      if droppedErrors > 0 && i == keptErrors / 2 { lines.append("  … \(droppedErrors) more not kept …") }
      lines.append("  \(e)")
    }
    let violations = faults.compactMap { if case .violation(let v) = $0 { v } else { nil } }
    let access = faults.filter { if case .access = $0 { true } else { false } }
    lines.append("rule violations: \(violationCount)")
    for v in violations {
      lines.append("  \(v.rule.rawValue) at cycle \(v.cycle): \(v.detail)")
      lines.append("    access: \(v.accessDescription)")
      lines.append("    source: \(v.source)")
    }
    lines.append("access faults: \(accessFaultCount)")
    for f in access { lines.append("  \(f)") }
    if faults.droppedCount > 0 {
      lines.append(
        "(\(faults.droppedCount) of \(faults.totalCount) faults not kept: the log keeps the first \(faults.limit) and the last \(faults.limit))")
    }
    lines.append("interrupts: CMDQV \(interrupts), SMMU GERROR \(smmuInterrupts)")
    lines.append("vEVENTs read: \(vEventsRead)")
    return lines.joined(separator: "\n") + "\n"
  }
}
