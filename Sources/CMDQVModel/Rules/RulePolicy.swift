/// What the device does when a rule is broken. The offending access itself
/// always takes effect (a guest can write anything; the model records it and goes on).
public enum RulePolicy: String, CaseIterable, Hashable, Sendable {
  /// Record a ``CMDQVRegisters/RuleViolation`` (in `violations`, `faults` and as an event).
  case record
  /// Stop the process at the offending access (`preconditionFailure` with the
  /// violation's description), so a debugger lands on the driver's access.
  case trap
  /// Do nothing.
  case ignore
}
