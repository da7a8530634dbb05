import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import CMDQVTrace

/// One thing `cmdqv step` did to the device, kept so that any earlier point
/// can be rebuilt by replaying from the start (the model is deterministic).
enum StepJournalEntry: Equatable {
  case scenarioStep
  case cycles(Int)
  case read(offset: Int)
  case write(offset: Int, value: UInt64)
}

/// A run of a scenario under `cmdqv step`: the execution, the JSON Lines
/// trace of everything the device did so far (in memory), and the events of
/// the last entry applied.
final class StepTimeline {
  let execution: ScenarioExecution
  let trace = MemoryTraceOutput()
  private let writer: JSONLinesTraceWriter
  /// Events of the entry being applied.
  private(set) var events: [HardwareEvent] = []

  init(scenario: Scenario) {
    execution = ScenarioExecution(scenario: scenario)
    writer = JSONLinesTraceWriter(output: trace)
    execution.eventSink = writer
    execution.onEvent = { [unowned self] in events.append($0) }
  }

  var device: CMDQVDevice { execution.system.device }

  /// The JSON Lines trace so far.
  var traceText: String {
    writer.flush()
    return trace.string
  }

  /// Applies `entry`; returns the step's result for a scenario step.
  @discardableResult
  func apply(_ entry: StepJournalEntry) -> StepResult? {
    events.removeAll()
    switch entry {
    case .scenarioStep: return execution.executeNextStep()
    case .cycles(let n): execution.system.step(cycles: n)
    case .read(let offset): _ = device.read(at: offset, width: 32)
    case .write(let offset, let value):
      device.write(value, at: offset, width: 32)
      execution.system.deliverInterrupts()
    }
    return nil
  }
}
