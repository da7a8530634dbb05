/// A device-configuration parameter that decides how many instances of an
/// array exist (the map holds the maximum).
public struct ParameterSpec: Hashable, Sendable {
  public var name: String
  public var description: String
  public var mark: Mark
}
