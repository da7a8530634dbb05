import CMDQVRegisters

/// A fault the device recorded: an ignored MMIO access or a broken programming rule.
public enum DeviceFault: Hashable, Sendable, CustomStringConvertible {
  case access(AccessFault)
  case violation(RuleViolation)

  public var description: String {
    switch self {
    case .access(let f): f.description
    case .violation(let v): v.description
    }
  }
}
