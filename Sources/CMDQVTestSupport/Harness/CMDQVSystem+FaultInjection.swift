import CMDQVModel

/// A fault a test injects into the model (each is recorded as an `inject`
/// event in the trace).
public enum InjectedFault: Hashable, Sendable, CustomStringConvertible {
  /// The CONFIG→STATUS handshake of `entity` never completes.
  case stuckHandshake(HandshakeEntity)
  /// The `command`-th command `queue` consumes from now on fails with CERROR `code`.
  case commandError(code: UInt8, command: Int, queue: QueueSelector)
  /// Queue fetches touching the range abort (CERROR_ABT).
  case fetchAbort(Range<UInt64>)
  /// A register bit reads and stores as `value`.
  case stuckBit(offset: Int, bit: Int, value: Bool, aperture: Aperture)

  public var description: String {
    switch self {
    case .stuckHandshake(let e): "stuck handshake of \(e)"
    case .commandError(let code, let k, let q): "CERROR \(code) at command #\(k) of \(q)"
    case .fetchAbort(let r): "fetch abort 0x\(String(r.lowerBound, radix: 16))..<0x\(String(r.upperBound, radix: 16))"
    case .stuckBit(let offset, let bit, let value, let aperture): "\(aperture) 0x\(String(offset, radix: 16)) bit \(bit) stuck at \(value ? 1 : 0)"
    }
  }
}

extension CMDQVSystem {
  /// Injects `fault` into the model. An unknown target (VINTF 9 on a 4-VINTF
  /// device, an unmapped register) throws the model's `FaultInjectionError`
  /// naming it: never a silent no-op, and a harness (or a scenario runner)
  /// decides what a failed injection means.
  public func inject(_ fault: InjectedFault) throws {
    switch fault {
    case .stuckHandshake(let entity): try device.injectStuckHandshake(entity)
    case .commandError(let code, let k, let queue): try device.injectCommandError(code: code, atCommand: k, on: queue)
    case .fetchAbort(let range): try device.injectFetchAbort(range)
    case .stuckBit(let offset, let bit, let value, let aperture):
      try device.injectStuckBit(offset: offset, bit: bit, value: value, aperture: aperture)
    }
  }

  /// Runs `body` with `faults` injected, then removes every injection (even
  /// when an injection or `body` throws).
  public func withFaults<R>(_ faults: [InjectedFault], _ body: () throws -> R) throws -> R {
    defer { device.clearInjections() }
    for fault in faults { try inject(fault) }
    return try body()
  }
}
