/// A change the hardware made on its own: a handshake completing, a queue
/// starting or stalling, an error map bit rolling up.
public struct StateChange: Hashable, Sendable {
  /// What changed: `CMDQV`, `VINTF1`, `VCMDQ3`, `SMMU_CMDQ`.
  public var entity: String
  /// The property, by its datasheet name where there is one
  /// (`CMDQV_ENABLED`, `ENABLE_OK`, `CMDQ_EN_OK`, `GERROR`, `running`).
  public var property: String
  public var old: UInt64
  public var new: UInt64

  public init(entity: String, property: String, old: UInt64, new: UInt64) {
    self.entity = entity
    self.property = property
    self.old = old
    self.new = new
  }
}

extension StateChange: CustomStringConvertible {
  public var description: String {
    "\(entity).\(property): 0x\(String(old, radix: 16)) -> 0x\(String(new, radix: 16))"
  }
}
