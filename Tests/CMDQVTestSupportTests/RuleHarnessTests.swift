import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import RegisterMapKit
import Testing

/// `expectNoViolations` / `expectViolation` fail at the caller's line with
/// the violation's description, and scenarios judge violations.
@Suite struct RuleHarnessTests {
  /// A booted system whose host just mapped LVCMDQ0 of the disabled VINTF1:
  /// LVCMDQ-MAP-VINTF-DISABLED and nothing else.
  func systemWithOneViolation() throws -> CMDQVSystem {
    let system = try CMDQVSystem()
    system.device.write32(1 << 15 | 1, at: 0x208)  // CMDQ_ALLOC2: VINTF1/LVCMDQ0, VINTF1 disabled
    return system
  }

  @Test func expectNoViolationsFailsAtTheCallersLine() throws {
    let system = try systemWithOneViolation()
    let line = #_sourceLocation.line + 2
    withKnownIssue {
      system.expectNoViolations()
    } matching: { issue in
      issue.sourceLocation?.line == line
        && issue.comments.contains { $0.rawValue.contains("LVCMDQ-MAP-VINTF-DISABLED at cycle") }
    }
  }

  @Test func traceCaptureAssertionsSeeTheSameViolations() throws {
    let system = try CMDQVSystem()
    let trace = TraceCapture(system)
    trace.expectNoViolations()
    system.device.write32(1 << 15 | 1, at: 0x208)
    let fired = trace.expectViolation(.lvcmdqMapVINTFDisabled)
    #expect(fired.map(\.rule) == [.lvcmdqMapVINTFDisabled])
    #expect(trace.records.records(of: .violation).count == 1)
    trace.expectNoViolations()  // expectViolation forgot what it checked
  }

  @Test func expectViolationFailsForAMissingRule() throws {
    let system = try systemWithOneViolation()
    let line = #_sourceLocation.line + 2
    withKnownIssue {
      system.expectViolation(.lvcmdqMapAscending)
    } matching: { issue in
      issue.sourceLocation?.line == line
        && issue.comments.contains {
          $0.rawValue.contains("expected a LVCMDQ-MAP-ASCENDING violation, got only:")
            && $0.rawValue.contains("LVCMDQ-MAP-VINTF-DISABLED")
        }
    }
  }

  @Test func expectViolationFailsWhenAnotherRuleFiredToo() throws {
    let system = try systemWithOneViolation()
    system.device.write32(0x1, at: 0x1100)  // VINTF1 enabled…
    system.device.write32(0x0, at: 0x1100)  // …and disabled at once, with VCMDQ2 mapped
    withKnownIssue {
      system.expectViolation(.lvcmdqMapVINTFDisabled)
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("other rules fired too") && $0.rawValue.contains("HS-VINTF-RETOGGLE") }
    }
  }

  @Test func expectViolationChecksTheCount() throws {
    let system = try systemWithOneViolation()
    withKnownIssue {
      system.expectViolation(.lvcmdqMapVINTFDisabled, count: 2)
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("expected 2 LVCMDQ-MAP-VINTF-DISABLED violation(s), got 1") }
    }
  }

  // MARK: Scenarios

  static let misstep = """
    name: misstep
    steps:
      - boot:
      - write:
          offset: 0x208
          value: 0x8001
    """

  @Test func unclaimedViolationFailsTheStepThatCausedIt() throws {
    let report = ScenarioExecution.run(try ScenarioParser.parse(text: Self.misstep + "\n  - note: after\n", file: "m.yaml"))
    let failure = try #require(report.failure)
    #expect(failure.stepIndex == 1)
    #expect(failure.description.hasPrefix("m.yaml:4:5: expectation failed: write 0x208"))
    #expect(failure.message.contains("unexpected rule violation"))
    #expect(failure.message.contains("LVCMDQ-MAP-VINTF-DISABLED"))
    #expect(report.stepsRun == 2)
    #expect(!report.passed)
  }

  @Test func lastStepViolationFailsToo() throws {
    let report = ScenarioExecution.run(try ScenarioParser.parse(text: Self.misstep + "\n", file: "m.yaml"))
    #expect(report.failure?.message.contains("LVCMDQ-MAP-VINTF-DISABLED") == true)
  }

  @Test func expectViolationClaimsIt() throws {
    let text = Self.misstep + "\n  - expect_violation: LVCMDQ-MAP-VINTF-DISABLED\n  - expect_violation:\n      rule: lvcmdq-map-vintf-disabled\n"
    // The second claim finds nothing left.
    let report = ScenarioExecution.run(try ScenarioParser.parse(text: text, file: "m.yaml"))
    #expect(report.failure?.stepIndex == 3)
    #expect(report.failure?.message == "expected a LVCMDQ-MAP-VINTF-DISABLED violation, got none")
    let once = Self.misstep + "\n  - expect_violation:\n      rule: LVCMDQ-MAP-VINTF-DISABLED\n      count: 1\n  - note: fine\n"
    #expect(ScenarioExecution.run(try ScenarioParser.parse(text: once, file: "m.yaml")).passed)
  }

  @Test func ignoredRuleIsNeitherRecordedNorExpected() throws {
    let text = "name: x\ndevice:\n  rules:\n    LVCMDQ-MAP-VINTF-DISABLED: ignore\n" + Self.misstep.dropFirst("name: misstep\n".count)
    let report = ScenarioExecution.run(try ScenarioParser.parse(text: String(text), file: "m.yaml"))
    #expect(report.passed, "\(report.summary)")
    #expect(report.faults.isEmpty)
  }

  @Test func unknownRuleNamesAreScenarioErrors() throws {
    #expect(throws: DiagnosticList.self) {
      _ = try ScenarioParser.parse(text: "name: x\nsteps:\n  - expect_violation: NO-SUCH-RULE\n", file: "e.yaml")
    }
    do {
      _ = try ScenarioParser.parse(text: "name: x\ndevice:\n  rules:\n    NO-SUCH-RULE: ignore\n    all: sometimes\nsteps:\n  - boot:\n", file: "e.yaml")
      Issue.record("expected errors")
    } catch {
      let text = "\(error)"
      #expect(text.contains("e.yaml:4:5: error:") && text.contains("NO-SUCH-RULE"))
      #expect(text.contains("e.yaml:5:10: error: unknown rule policy 'sometimes'; expected record or ignore"))
    }
  }
}
