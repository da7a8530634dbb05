/// One array dimension of a block.
public struct DimensionSpec: Hashable, Sendable {
  public var label: String
  public var count: Int
  public var stride: Int
  public var parameter: String?
  public var mark: Mark
}
