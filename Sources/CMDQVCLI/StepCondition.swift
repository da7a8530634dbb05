import CMDQVRegisters

/// What `until` and `back until` wait for, judged on the events of one
/// scenario step (or journal entry) and the device's cycle after it.
enum StepCondition {
  /// An accepted write to a register matching the pattern, with that value
  /// written when given.
  case write(RegisterPattern, value: UInt64?)
  /// A command error, access fault or ordering fault.
  case fault
  /// The device's cycle reached N.
  case cycle(UInt64)

  /// Parses `write REG[=VALUE]`, `fault`, `cycle N`.
  static func parse(_ args: [String], number: (String, String) throws(UsageError) -> UInt64) throws(UsageError) -> StepCondition {
    switch (args.first, args.count) {
    case ("write", 2):
      let parts = args[1].split(separator: "=", maxSplits: 1).map(String.init)
      let value = parts.count == 2 ? try number(parts[1], "VALUE") : nil
      return .write(try RegisterPattern(parts[0]), value: value)
    case ("fault", 1): return .fault
    case ("cycle", 2): return .cycle(try number(args[1], "N"))
    default: throw UsageError("expected 'write REG[=VALUE]', 'fault' or 'cycle N'", help: nil)
    }
  }

  /// The event that satisfied the condition (or nil when `cycle` holds,
  /// which no event shows), wrapped: `.some(nil)` means satisfied.
  func match(_ events: [HardwareEvent], cycle: UInt64) -> HardwareEvent?? {
    switch self {
    case .write(let pattern, let value):
      for e in events {
        guard case .mmio(let a) = e.payload, a.direction == .write, a.accepted, let r = a.register,
          pattern.matches(r.name) || pattern.matches(r.accessName), value == nil || value == a.value
        else { continue }
        return .some(e)
      }
      return nil
    case .fault:
      for e in events {
        switch e.payload {
        case .commandError, .accessFault, .ruleViolation: return .some(e)
        default: continue
        }
      }
      return nil
    case .cycle(let n): return cycle >= n ? .some(nil) : nil
    }
  }
}
