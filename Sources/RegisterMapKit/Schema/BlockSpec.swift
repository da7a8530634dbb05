/// A register block as declared in a register map file.
public struct BlockSpec: Hashable, Sendable {
  public var name: String
  /// The datasheet prefix of its registers (`VINTF` for `VINTF_CONFIG`).
  public var prefix: String
  public var offset: Int
  public var aperture: String
  /// The generated accessor group type (`VINTFRegisters`); for an alias, the
  /// aliased block's.
  public var swiftName: String
  /// The accessor function on the map's root type (`vintf`), for blocks with
  /// dimensions.
  public var accessor: String?
  public var dimensions: [DimensionSpec]
  public var aliasOf: String?
  public var togglePairs: [TogglePairSpec]
  public var description: String
  /// Own registers; for an alias, the aliased block's (filled in by
  /// validation).
  public var registers: [RegisterSpec]
  public var mark: Mark

  /// Bytes spanned by one instance's registers.
  public var extent: Int { registers.map { $0.offset + $0.extent }.max() ?? 0 }
}
