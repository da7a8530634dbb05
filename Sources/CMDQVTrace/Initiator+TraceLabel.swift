import CMDQVRegisters

extension Initiator {
  /// The trace spelling: `host`, `guest:N`, `hw` (no spaces, so text lines
  /// split on blanks).
  public var traceLabel: String {
    switch self {
    case .host: "host"
    case .guest(let vintf): "guest:\(vintf)"
    case .hardware: "hw"
    }
  }
}
