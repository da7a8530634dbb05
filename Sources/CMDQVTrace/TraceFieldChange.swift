/// One register field a write changed.
public struct TraceFieldChange: Hashable, Sendable {
  /// The field's name in the register map (`VIRT_SID`).
  public var name: String
  public var old: UInt64
  public var new: UInt64

  public init(name: String, old: UInt64, new: UInt64) {
    self.name = name
    self.old = old
    self.new = new
  }
}
