import CMDQVRegisters

/// A fault the device recorded: an ignored MMIO access or a map/unmap order break.
public enum DeviceFault: Hashable, Sendable, CustomStringConvertible {
  case access(AccessFault)
  case ordering(OrderingFault)

  public var description: String {
    switch self {
    case .access(let f): f.description
    case .ordering(let f): f.description
    }
  }
}
