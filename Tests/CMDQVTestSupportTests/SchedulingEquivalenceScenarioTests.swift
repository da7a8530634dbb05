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

  /// A stuck handshake makes boot poll STATUS for the whole 1,000,000 µs
  /// budget and the scenario then idles for 10^9 cycles: unobserved, both
  /// cost a jump, and the run ends at the cycle a cycle-by-cycle run would.
  @Test func stuckHandshakeTimeoutAndLongIdleStepAreCheap() throws {
    let scenario = try ScenarioParser.parse(
      text: """
        name: stuck
        device:
          cycles_per_us: 3
        steps:
          - inject:
              stuck_handshake: VINTF0
          - boot:
              expect: ETIMEDOUT
          - step: 1000000000

        """, file: "stuck.yaml")
    let (report, _) = run(scenario, exhaustive: false, observed: false)
    #expect(report.passed, "\(report.summary)")
    // Boot's accesses before the poll take a few cycles; the poll 3,000,000.
    #expect((1_003_000_000...1_003_001_000).contains(report.cycles))
    // The poll's 1,000,001 reads are counted even though they were skipped.
    #expect(report.mmioAccesses > 1_000_001)
  }
}
