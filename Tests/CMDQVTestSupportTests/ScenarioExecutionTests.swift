import CMDQVModel
import CMDQVTestSupport
import CMDQVTrace
import Testing

@Suite struct ScenarioExecutionTests {
  @Test func stepsOneAtATimeWithATraceAttached() throws {
    let scenario = try shippedScenario("vmm-lifecycle")
    let execution = ScenarioExecution(scenario: scenario)
    let recorder = TraceRecorder()
    execution.eventSink = recorder
    #expect(execution.currentStep?.title == "boot")
    guard case .passed(let index, let step, _) = execution.executeNextStep() else {
      Issue.record("boot failed")
      return
    }
    #expect(index == 0 && step.mark.line == 9)
    #expect(execution.system.device.vintf(0).enabled)
    #expect(recorder.records.writes(register: "VINTF0_CONFIG").count >= 2)
    execution.runToEnd()
    #expect(execution.isFinished && execution.failure == nil)
    #expect(execution.currentStep == nil)
    if case .finished = execution.executeNextStep() {} else { Issue.record("expected .finished") }
    #expect(recorder.records.records(of: .violation).map(\.rule) == ["LVCMDQ-MAP-ASCENDING"])
    #expect(execution.report.passed)
  }

  /// When the executed-command log drops commands an `expect_commands`
  /// would check, the step fails saying so instead of comparing a partial
  /// list; the summary's per-queue counts still count every command.
  @Test func expectCommandsFailsWhenCheckedCommandsFellOutOfTheLog() throws {
    var scenario = try shippedScenario("vmm-lifecycle")
    let full = ScenarioExecution.run(scenario)
    #expect(full.passed)
    scenario.configuration.executedCommandLimit = 2
    let report = ScenarioExecution.run(scenario)
    #expect(!report.passed)
    #expect(report.failure?.description.contains("fell out of the executed-command log, which keeps the last 2") == true,
      "\(String(describing: report.failure))")
    let partial = Dictionary(uniqueKeysWithValues: report.commandsPerQueue.map { ($0.0, $0.1) })
    for (queue, n) in full.commandsPerQueue where partial[queue] != nil {
      #expect(partial[queue]! <= n, "\(queue)")
    }
    #expect(report.commandsPerQueue.map(\.1).reduce(0, +) > 2, "drops are counted, not lost")
  }

  /// (1 cycle per µs keeps the driver's 1 s poll budget short in debug builds.)
  @Test func stuckHandshakeMakesBootTimeOutAndLaterStepsFailCleanly() throws {
    let s = try ScenarioParser.parse(
      text: """
        name: stuck
        device:
          cycles_per_us: 1
        steps:
          - inject:
              stuck_handshake: CMDQV
          - boot:
              expect: ETIMEDOUT
          - ioas:
              name: a

        """, file: "stuck.yaml")
    let report = ScenarioExecution.run(s)
    #expect(!report.passed)
    #expect(report.failure?.description == "stuck.yaml:9:5: expectation failed: ioas a: the drivers are not booted (the boot step failed)")
    #expect(report.stepsRun == 3)
  }

  @Test func unexpectedErrnoIsAFailureNotACrash() throws {
    let s = try ScenarioParser.parse(
      text: """
        name: e
        steps:
          - boot:
          - ioas:
              name: a
          - unmap:
              ioas: a
              iova: 0x1000
              length: 0x1000
          - note: unreachable

        """, file: "e.yaml")
    let report = ScenarioExecution.run(s)
    #expect(report.failure?.description.hasPrefix("e.yaml:6:5: expectation failed: unmap a: expected success, got ENOENT") == true, "\(report.summary)")
    #expect(report.stepsRun == 3)
    #expect(report.summary.contains("FAILED"))
  }

  @Test func guestStepsWithoutAQueueFailInsteadOfTrapping() throws {
    var text = try String(contentsOfFile: repositoryRoot + "/Docs/Scenarios/vmm-lifecycle.yaml", encoding: .utf8)
    // LVCMDQ 5 has no HW queue: the runner must not build a GuestLVCMDQ for it.
    text = text.replacingOccurrences(of: "  - guest_enable:\n      window: win0\n      queue: 1\n", with: "  - guest_enable:\n      window: win0\n      queue: 5\n")
    let report = ScenarioExecution.run(try ScenarioParser.parse(text: text, file: "g.yaml"))
    #expect(report.failure?.message == "no HW queue with index 5 on 'vi0'")
  }

  @Test func wrongExpectationsReportWhatHappened() throws {
    let s = try ScenarioParser.parse(
      text: """
        name: w
        steps:
          - boot:
          - host_issue:
              commands:
                - op: TLBI_NH_ASID
                  asid: 3
          - expect_commands:
          - host_issue:
              commands:
                - op: TLBI_NH_ASID
                  asid: 3
          - expect_commands:
              - op: TLBI_NH_ASID
                asid: 4
              - op: CMD_SYNC

        """, file: "w.yaml")
    let report = ScenarioExecution.run(s)
    #expect(report.failure?.message == "command #1 (VINTF0/VCMDQ0/LVCMDQ0 [2] TLBI_NH_ASID vmid=0x0 asid=0x3 [0x3000000000011 0x0]): asid is 0x3, expected 0x4")
  }
}
