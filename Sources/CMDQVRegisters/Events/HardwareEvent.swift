/// One observable event of the device, stamped with a sequence number and the
/// model cycle (never host time), so that traces of two runs diff cleanly.
public struct HardwareEvent: Hashable, Sendable {
  public enum Payload: Hashable, Sendable {
    case mmio(MMIOAccess)
    case command(ExecutedCommand)
    case commandError(CommandError)
    case stateChange(StateChange)
    case accessFault(AccessFault)
    /// A programming rule of the hardware was broken.
    case ruleViolation(RuleViolation)
    case interrupt(InterruptEvent)
    /// A fault the harness injected (the injection itself, in words).
    case injection(String)
    /// A free-form note from a harness or scenario (`# step 3: …`).
    case note(String)
    /// The start of a scenario step.
    case step(StepMarker)
  }

  /// Strictly increasing from 1 within a device.
  public var sequence: UInt64
  public var cycle: UInt64
  public var payload: Payload

  public init(sequence: UInt64, cycle: UInt64, payload: Payload) {
    self.sequence = sequence
    self.cycle = cycle
    self.payload = payload
  }

  /// The event kind as trace files name it: `mmio_r`, `mmio_w`, `cmd`,
  /// `cmd_err`, `state`, `fault`, `violation`, `irq`, `inject`, `note`, `step`.
  public var kind: String {
    switch payload {
    case .mmio(let a): a.direction == .read ? "mmio_r" : "mmio_w"
    case .command: "cmd"
    case .commandError: "cmd_err"
    case .stateChange: "state"
    case .accessFault: "fault"
    case .ruleViolation: "violation"
    case .interrupt: "irq"
    case .injection: "inject"
    case .note: "note"
    case .step: "step"
    }
  }
}
