/// One concrete register at an absolute offset: what an MMIO offset decodes to.
public struct RegisterInstance: Hashable, Sendable {
  /// The map it belongs to (`tegra241_cmdqv`, `smmuv3`).
  public let map: String
  /// The block identifier (`VINTF`, `VCMDQ_PAGE0`, …).
  public let block: String
  /// The trace aperture label of its block.
  public let aperture: String
  public let info: RegisterInfo
  /// Absolute offset of the register (its low word for a 64-bit register).
  public let offset: Int
  /// Block indices, outermost first (`[1, 1]` for `VINTF1_LVCMDQ1_CONS`).
  public let indices: [Int]
  /// Index within an array register (`SID_MATCH(3)` → 3), else 0.
  public let index: Int
  /// The instance name, for example `VINTF1_SID_MATCH0`.
  public let name: String
  /// For a 32-bit access to a 64-bit register: which half (0 low, 4 high).
  public let halfOffset: Int

  public init(
    map: String, block: String, aperture: String, info: RegisterInfo, offset: Int, indices: [Int],
    index: Int, name: String, halfOffset: Int = 0
  ) {
    self.map = map
    self.block = block
    self.aperture = aperture
    self.info = info
    self.offset = offset
    self.indices = indices
    self.index = index
    self.name = name
    self.halfOffset = halfOffset
  }

  /// `name` plus `[hi]`/`[lo]` for half accesses to a 64-bit register.
  public var accessName: String {
    guard info.width == 64 else { return name }
    return halfOffset == 4 ? "\(name)[63:32]" : name
  }
}
