import CMDQVModel
import CMDQVRegisters
import IOMMUFD

/// Runs a ``Scenario`` against a fresh ``CMDQVSystem``, one step at a time.
/// Stops at the first failed expectation, like a test. Never traps: every
/// precondition of the APIs it calls was checked by the parser, and runtime
/// surprises (an unexpected errno, a missing object) are failures.
public final class ScenarioExecution {
  public let scenario: Scenario
  public let system: CMDQVSystem
  /// Index of the next step to run.
  public private(set) var nextStepIndex = 0
  public private(set) var failure: ScenarioFailure?
  /// MMIO accesses the device saw (host, guest and hardware).
  public private(set) var mmioAccessCount = 0
  /// vEVENTs read by `expect_events` steps.
  public internal(set) var eventsRead = 0
  /// Called with every device event, after the run's own bookkeeping (the
  /// device's `eventSink` stays free for a trace writer).
  public var onEvent: ((HardwareEvent) -> Void)?

  var booted = false
  var ids: [String: UInt32] = [:]
  var viommus: [String: VIOMMUAllocation] = [:]
  var hwptIOAS: [String: String] = [:]
  var viommuHWPT: [String: String] = [:]
  var windows: [String: GuestWindow] = [:]
  var hwQueues: [String: (viommu: String, index: UInt32, iova: UInt64, length: UInt64)] = [:]
  var guestQueues: [String: GuestLVCMDQ] = [:]
  /// `expect_commands` compares commands executed from here on.
  var commandMark = 0
  /// Rule violations no `expect_violation` has claimed yet, and how many of
  /// the device's violations were already collected.
  var unclaimedViolations: [RuleViolation] = []
  var violationsCollected = 0
  /// Command errors and faults, not yet judged expected or not.
  var rawIncidents: [ScenarioIncident] = []

  struct GuestWindow {
    var mapping: MMapping
    var window: MMIOWindow
    var vintf: Int
    var viommu: String
  }

  public init(scenario: Scenario) {
    self.scenario = scenario
    // Cannot throw without boot (the parser validated the configuration).
    system = try! CMDQVSystem(configuration: scenario.configuration, boot: false)
    system.device.onEvent = { [unowned self] event in
      switch event.payload {
      case .mmio: mmioAccessCount += 1
      case .commandError, .ruleViolation, .accessFault: noteIncident(event)
      default: break
      }
      onEvent?(event)
    }
  }

  /// The device's trace slot (a `TraceWriter`, a `TraceRecorder`).
  public var eventSink: HardwareEventSink? {
    get { system.device.eventSink }
    set { system.device.eventSink = newValue }
  }

  public var isFinished: Bool { failure != nil || nextStepIndex >= scenario.steps.count }
  /// The step ``executeNextStep()`` will run, if any.
  public var currentStep: ScenarioStep? { isFinished ? nil : scenario.steps[nextStepIndex] }

  /// Runs one step.
  @discardableResult
  public func executeNextStep() -> StepResult {
    guard let step = currentStep else { return .finished }
    let index = nextStepIndex
    nextStepIndex += 1
    system.device.markStep(StepMarker(number: index + 1, action: step.title, source: "\(step.mark.file):\(step.mark.line)"))
    do throws(StepFailure) {
      let detail = try perform(step.action)
      try checkUnexpectedViolations()
      return .passed(index: index, step: step, detail: detail)
    } catch {
      let f = ScenarioFailure(stepIndex: index, step: step, message: error.message)
      failure = f
      return .failed(f)
    }
  }

  /// Runs the remaining steps; `progress` is called before each.
  public func runToEnd(progress: ((Int, Int) -> Void)? = nil) {
    while !isFinished {
      progress?(nextStepIndex + 1, scenario.steps.count)
      executeNextStep()
    }
  }

  /// The report of the run so far.
  public var report: ScenarioReport { ScenarioReport(execution: self) }

  /// Runs `scenario` to the end (with `sink` attached to the device) and
  /// reports.
  public static func run(_ scenario: Scenario, sink: HardwareEventSink? = nil) -> ScenarioReport {
    let execution = ScenarioExecution(scenario: scenario)
    execution.eventSink = sink
    execution.runToEnd()
    return execution.report
  }
}
