/// A command queue of the device, for fault injection.
public enum QueueSelector: Hashable, Sendable, CustomStringConvertible {
  case vcmdq(Int)
  case smmuCMDQ

  public var description: String {
    switch self {
    case .vcmdq(let q): "VCMDQ\(q)"
    case .smmuCMDQ: "SMMU_CMDQ"
    }
  }
}
