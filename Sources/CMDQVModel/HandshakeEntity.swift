/// An entity with a CONFIG→STATUS handshake.
public enum HandshakeEntity: Hashable, Sendable, CustomStringConvertible {
  case cmdqv
  case vintf(Int)
  case vcmdq(Int)
  /// SMMU CR0→CR0ACK.
  case smmuCR0

  public var description: String {
    switch self {
    case .cmdqv: "CMDQV"
    case .vintf(let v): "VINTF\(v)"
    case .vcmdq(let q): "VCMDQ\(q)"
    case .smmuCR0: "SMMU CR0"
    }
  }
}
