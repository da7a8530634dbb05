import CMDQVRegisters

/// The `cmdqv.events` signals: one per kind of event, so a rule violation,
/// a command error or an interrupt is its own line in the waveform. Each
/// counts its events (the value steps at the event's own timestamp), except
/// `step`, which holds the number (1-based) of the scenario step running.
///
/// A new kind of hardware event is one case here, one in ``init(_:)`` and
/// one in ``ordinal`` (a test checks `ordinal` against `allCases`).
public enum VCDEventSignal: String, CaseIterable, Sendable {
  case step
  case cmd
  case cmdErr = "cmd_err"
  case accessFault = "access_fault"
  case violation
  case irqCMDQVErr = "irq_cmdqv_err"
  case irqSMMUGError = "irq_smmu_gerror"
  case inject

  /// The signal `payload` drives, `nil` for register traffic and notes.
  public init?(_ payload: HardwareEvent.Payload) {
    switch payload {
    case .step: self = .step
    case .command: self = .cmd
    case .commandError: self = .cmdErr
    case .accessFault: self = .accessFault
    case .ruleViolation: self = .violation
    case .interrupt(let i): self = i.line == "SMMU_GERROR" ? .irqSMMUGError : .irqCMDQVErr
    case .injection: self = .inject
    case .mmio, .stateChange, .note: return nil
    }
  }

  /// The position in `allCases` (no array or hashing per event).
  var ordinal: Int {
    switch self {
    case .step: 0
    case .cmd: 1
    case .cmdErr: 2
    case .accessFault: 3
    case .violation: 4
    case .irqCMDQVErr: 5
    case .irqSMMUGError: 6
    case .inject: 7
    }
  }

  /// The value after `payload`, given the signal's value before.
  func value(after payload: HardwareEvent.Payload, previous: UInt64) -> UInt64 {
    if case .step(let marker) = payload { return UInt64(max(marker.number, 0)) }
    return previous &+ 1
  }
}
