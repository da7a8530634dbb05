/// A fault injection that named something the device does not have, or made
/// no sense. Injections never fail silently.
public struct FaultInjectionError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The target as the caller named it.
  public var target: String
  public var reason: String

  public init(target: String, reason: String) {
    self.target = target
    self.reason = reason
  }

  public var description: String { "fault injection: unknown or invalid target \(target): \(reason)" }
}
