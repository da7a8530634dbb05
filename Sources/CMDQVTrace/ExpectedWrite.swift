/// One write a harness expects: to a register instance (by name, as traces
/// spell it: `VINTF1_CONFIG`, `VCMDQ2_BASE[63:32]`) or an offset, optionally
/// with a value under a mask.
public struct ExpectedWrite: Hashable, Sendable, CustomStringConvertible {
  public enum Target: Hashable, Sendable {
    case register(String)
    case offset(Int)
  }

  public var target: Target
  /// The value written, compared under `mask`; `nil` accepts any value.
  public var value: UInt64?
  public var mask: UInt64

  /// A write to register instance `register`.
  public init(_ register: String, value: UInt64? = nil, mask: UInt64 = ~0) {
    self.target = .register(register)
    self.value = value
    self.mask = mask
  }

  /// A write at absolute `offset` (any aperture).
  public init(offset: Int, value: UInt64? = nil, mask: UInt64 = ~0) {
    self.target = .offset(offset)
    self.value = value
    self.mask = mask
  }

  /// Whether `record` is a write to the target.
  public func targets(_ record: TraceRecord) -> Bool {
    guard record.kind == .mmioWrite else { return false }
    switch target {
    case .register(let name): return record.reg == name
    case .offset(let offset): return record.offset == offset
    }
  }

  /// Whether `record` is a write to the target with the expected value.
  public func matches(_ record: TraceRecord) -> Bool {
    guard targets(record) else { return false }
    guard let value else { return true }
    return (record.value ?? 0) & mask == value & mask
  }

  /// `VINTF1_CONFIG = 0x1`, `VINTF1_CONFIG & 0x1 == 0x1`, `0x1100 (any value)`.
  public var description: String {
    let what: String
    switch target {
    case .register(let name): what = name
    case .offset(let offset): what = Hex.minimal(offset)
    }
    guard let value else { return "\(what) (any value)" }
    if mask == ~0 { return "\(what) = \(Hex.minimal(value))" }
    return "\(what) & \(Hex.minimal(mask)) == \(Hex.minimal(value & mask))"
  }
}
