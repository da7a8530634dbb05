/// One MMIO access as the device saw it.
public struct MMIOAccess: Hashable, Sendable {
  public enum Direction: String, Hashable, Sendable { case read, write }
  public var direction: Direction
  public var initiator: Initiator
  /// The register map of the aperture (`tegra241_cmdqv` or `smmuv3`).
  public var map: String
  /// Absolute offset in that aperture.
  public var offset: Int
  /// Access width in bits.
  public var width: Int
  /// The value read, or the value written.
  public var value: UInt64
  /// For a write that landed: the register value before and after (the whole
  /// register, after access rules). `nil` for reads and ignored writes.
  public var old: UInt64?
  public var new: UInt64?
  /// The register instance addressed, `nil` for an unmapped offset.
  public var register: RegisterInstance?
  /// For an access through a VINTF logical page: the global VCMDQ it reached.
  public var resolvedVCMDQ: Int?
  /// `false` when the device ignored the access (recorded as an access fault).
  public var accepted: Bool

  public init(
    direction: Direction, initiator: Initiator, map: String, offset: Int, width: Int, value: UInt64,
    old: UInt64? = nil, new: UInt64? = nil, register: RegisterInstance?, resolvedVCMDQ: Int? = nil,
    accepted: Bool = true
  ) {
    self.direction = direction
    self.initiator = initiator
    self.map = map
    self.offset = offset
    self.width = width
    self.value = value
    self.old = old
    self.new = new
    self.register = register
    self.resolvedVCMDQ = resolvedVCMDQ
    self.accepted = accepted
  }

  /// The trace aperture label: the register's block aperture, or `unmapped`.
  public var aperture: String { register?.aperture ?? "unmapped" }

  /// The fields whose value changed, for a write that landed.
  public var changedFields: [(field: FieldInfo, old: UInt64, new: UInt64)] {
    guard let register, let old, let new else { return [] }
    return register.info.changedFields(from: old, to: new)
  }
}
