/// How many cycles a CONFIG→STATUS handshake takes in each direction.
public struct HandshakeLatency: Hashable, Sendable, CustomStringConvertible {
  public var enable: Int
  public var disable: Int

  public init(enable: Int, disable: Int) {
    self.enable = enable
    self.disable = disable
  }

  /// The same latency both ways.
  public static func cycles(_ n: Int) -> HandshakeLatency { HandshakeLatency(enable: n, disable: n) }

  public var description: String { "enable \(enable), disable \(disable)" }
}
