import CMDQVRegisters

extension ScenarioExecution {
  /// Records a command error or fault of the device against the running step.
  func noteIncident(_ event: HardwareEvent) {
    let kind: ScenarioIncident.Kind
    let detail: String
    switch event.payload {
    case .commandError(let e): (kind, detail) = (.commandError, e.description)
    case .ruleViolation(let v): (kind, detail) = (.ruleViolation, v.description)
    case .accessFault(let f): (kind, detail) = (.accessFault, f.description)
    default: return
    }
    let number = nextStepIndex
    let source = number > 0 ? "\(scenario.steps[number - 1].mark.file):\(scenario.steps[number - 1].mark.line)" : ""
    rawIncidents.append(
      ScenarioIncident(kind: kind, detail: detail, stepNumber: number, source: source, expected: false))
  }

  /// Every command error and fault so far, in order, each marked expected or not.
  public var incidents: [ScenarioIncident] {
    let passed = failure.map { $0.stepIndex } ?? nextStepIndex  // steps whose expectations held
    var expectedFaults: [ScenarioIncident.Kind: Int] = [:]
    for step in scenario.steps.prefix(passed) {
      if case .expectFault(let kind, let count) = step.action {
        let k: ScenarioIncident.Kind = kind == .violation ? .ruleViolation : .accessFault
        expectedFaults[k] = max(expectedFaults[k] ?? 0, count)
      }
    }
    var seen: [ScenarioIncident.Kind: Int] = [:]
    var injected = 0
    var abortsInjected = false
    var injectionsCounted = 0
    var out: [ScenarioIncident] = []
    for var incident in rawIncidents {
      // Injections up to and including the incident's step.
      while injectionsCounted < incident.stepNumber {
        if case .inject(let injection) = scenario.steps[injectionsCounted].action {
          switch injection {
          case .commandError: injected += 1
          case .fetchAbort: abortsInjected = true
          case .clear: abortsInjected = false
          default: break
          }
        }
        injectionsCounted += 1
      }
      seen[incident.kind, default: 0] += 1
      switch incident.kind {
      case .commandError:
        var expected = false
        if incident.stepNumber > 0 {
          switch scenario.steps[incident.stepNumber - 1].action {
          case .guestSubmit(_, _, _, _, let expectError): expected = expectError != nil
          case .hostIssue(_, _, _, let expect), .invalidate(_, _, let expect, _): expected = expect != nil
          default: break
          }
        }
        if !expected && injected > 0 {
          injected -= 1
          expected = true
        }
        incident.expected = expected || abortsInjected
      case .accessFault:
        incident.expected = (seen[incident.kind] ?? 0) <= (expectedFaults[incident.kind] ?? 0)
      case .ruleViolation:
        // A violation nobody claims fails the step it happened in; one that an
        // `expect_violation` (or `expect_fault: violation`) right after claimed
        // let that step pass.
        incident.expected = incident.stepNumber < passed
      }
      out.append(incident)
    }
    return out
  }
}
