import CMDQVRegisters

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

/// Which MMIO aperture of the device.
public enum Aperture: Hashable, Sendable {
  case cmdqv
  case smmu
}

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

/// A register bit forced to a value on every read and write.
struct StuckBit {
  var smmuAperture: Bool
  /// Canonical (global, low-word) offset of the register.
  var offset: Int
  /// Bit within the whole register (0–63).
  var bit: Int
  var value: Bool
}
