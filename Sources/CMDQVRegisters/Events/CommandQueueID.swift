/// A command queue of the device: a global VCMDQ (with the VINTF/LVCMDQ slot it
/// is assigned to) or the SMMU's main command queue.
public enum CommandQueueID: Hashable, Sendable {
  case vcmdq(index: Int, vintf: Int, lvcmdq: Int)
  case smmuCMDQ
}

extension CommandQueueID: CustomStringConvertible {
  /// `VINTF1/VCMDQ2/LVCMDQ0` as the kernel prints it, or `SMMU_CMDQ`.
  public var description: String {
    switch self {
    case .vcmdq(let index, let vintf, let lvcmdq): "VINTF\(vintf)/VCMDQ\(index)/LVCMDQ\(lvcmdq)"
    case .smmuCMDQ: "SMMU_CMDQ"
    }
  }
}
