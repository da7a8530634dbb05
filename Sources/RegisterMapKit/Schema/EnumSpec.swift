/// A named encoding for coded fields.
public struct EnumSpec: Hashable, Sendable {
  public struct Value: Hashable, Sendable {
    public var name: String
    public var value: UInt64
    public var description: String
    public var mark: Mark
  }

  public var name: String
  public var swiftName: String
  public var description: String
  public var values: [Value]
  public var mark: Mark
}
