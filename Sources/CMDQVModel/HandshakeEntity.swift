/// An entity with a CONFIG→STATUS handshake.
public enum HandshakeEntity: Hashable, Sendable, CustomStringConvertible {
  case cmdqv
  case vintf(Int)
  /// A global VCMDQ by index.
  case vcmdq(Int)
  /// The VCMDQ a VINTF's logical queue is mapped to (`CMDQ_ALLOC`);
  /// resolved when injected.
  case lvcmdq(vintf: Int, lvcmdq: Int)
  /// SMMU CR0→CR0ACK.
  case smmuCR0

  public var description: String {
    switch self {
    case .cmdqv: "CMDQV"
    case .vintf(let v): "VINTF\(v)"
    case .vcmdq(let q): "VCMDQ\(q)"
    case .lvcmdq(let v, let l): "VINTF\(v)/LVCMDQ\(l)"
    case .smmuCR0: "SMMU CR0"
    }
  }
}
