/// Who performed an MMIO access: recorded in every trace line, like the
/// CPU/PC context emulators print next to a register access.
public enum Initiator: Hashable, Sendable {
  /// The host kernel driver (the default for unlabelled accesses).
  case host
  /// A guest, through the mmapped page0 window of VINTF `vintf`.
  case guest(vintf: Int)
  /// The device itself (state changes it makes on its own, fault injection).
  case hardware
}

extension Initiator: CustomStringConvertible {
  public var description: String {
    switch self {
    case .host: "host"
    case .guest(let vintf): "guest(VINTF\(vintf))"
    case .hardware: "hw"
    }
  }
}
