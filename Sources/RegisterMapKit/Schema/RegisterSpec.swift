/// A register as declared in a register map file.
public struct RegisterSpec: Hashable, Sendable {
  public var name: String
  public var swiftName: String
  /// Offset within one block instance.
  public var offset: Int
  /// 32 or 64.
  public var width: Int
  public var count: Int
  public var stride: Int
  /// The configuration parameter deciding how many of `count` exist.
  public var parameter: String?
  public var accessWidths: [Int]
  /// The declared reset value, or the one composed from field resets.
  public var reset: UInt64
  public var valueFromConfiguration: Bool
  public var source: String
  public var description: String
  public var fields: [FieldSpec]
  public var mark: Mark

  /// Bytes from the first instance's offset to the end of the last.
  public var extent: Int { (count - 1) * stride + width / 8 }
}
