/// A command queue of the device, for fault injection.
public enum QueueSelector: Hashable, Sendable, CustomStringConvertible {
  /// A global VCMDQ by index.
  case vcmdq(Int)
  /// The VCMDQ a VINTF's logical queue is mapped to (`CMDQ_ALLOC`), named
  /// the way the driver and its messages name it; resolved when injected.
  case lvcmdq(vintf: Int, lvcmdq: Int)
  case smmuCMDQ

  public var description: String {
    switch self {
    case .vcmdq(let q): "VCMDQ\(q)"
    case .lvcmdq(let v, let l): "VINTF\(v)/LVCMDQ\(l)"
    case .smmuCMDQ: "SMMU_CMDQ"
    }
  }
}
