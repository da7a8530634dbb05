import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import Foundation
import Testing

/// Every shipped scenario runs the same under the event-driven engine and the
/// reference engine (every runnable queue every cycle, no idle jumps): the
/// same events with the same sequence numbers and cycles, and the same
/// summary when nothing is observed (then idle stretches and poll timeouts
/// are skipped).
@Suite struct SchedulingEquivalenceScenarioTests {
  static let scenarios: [String] = {
    let dir = repositoryRoot + "/Docs/Scenarios"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }()

  final class Events: HardwareEventSink {
    var events: [HardwareEvent] = []
    func record(_ event: HardwareEvent) { events.append(event) }
  }

  func run(_ scenario: Scenario, exhaustive: Bool, observed: Bool) -> (ScenarioReport, [HardwareEvent]) {
    let execution = ScenarioExecution(scenario: scenario)
    execution.system.device._exhaustiveScheduling = exhaustive
    let events = Events()
    if observed { execution.eventSink = events }
    execution.runToEnd()
    return (execution.report, events.events)
  }

  @Test func everyShippedScenarioIsListed() {
    #expect(Self.scenarios.count >= 3)
  }

  @Test(arguments: scenarios)
  func sameEventsUnderBothEngines(_ name: String) throws {
    let scenario = try shippedScenario(name)
    let (fast, fastEvents) = run(scenario, exhaustive: false, observed: true)
    let (reference, referenceEvents) = run(scenario, exhaustive: true, observed: true)
    #expect(!fastEvents.isEmpty)
    if let i = fastEvents.indices.first(where: { $0 < referenceEvents.count && fastEvents[$0] != referenceEvents[$0] }) {
      Issue.record("first different event at \(i): \(fastEvents[i]) vs \(referenceEvents[i])")
    }
    #expect(fastEvents.count == referenceEvents.count)
    #expect(fast.summary == reference.summary)
  }

  @Test(arguments: scenarios)
  func sameSummaryUnobserved(_ name: String) throws {
    let scenario = try shippedScenario(name)
    let (fast, _) = run(scenario, exhaustive: false, observed: false)
    let (reference, _) = run(scenario, exhaustive: true, observed: true)
    #expect(fast.summary == reference.summary)
  }

  /// A scenario that idles for 10^9 cycles after boot costs a jump, and
  /// ends at the cycle a cycle-by-cycle run would. (A scenario run is always
  /// observed, so a poll timeout inside one replays its million reads to the
  /// run's listener; model-level tests cover the skipped timeout.)
  @Test func aLongIdleStepIsCheap() throws {
    let scenario = try ScenarioParser.parse(
      text: """
        name: idle
        steps:
          - boot:
          - step: 1000000000

        """, file: "idle.yaml")
    let (report, _) = run(scenario, exhaustive: false, observed: false)
    let (booted, _) = run(
      try ScenarioParser.parse(text: "name: idle\nsteps:\n  - boot:\n", file: "idle.yaml"), exhaustive: false,
      observed: false)
    #expect(report.passed, "\(report.summary)")
    #expect(report.cycles == booted.cycles + 1_000_000_000)
  }
}
