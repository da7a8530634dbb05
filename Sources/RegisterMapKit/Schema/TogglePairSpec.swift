/// A GERROR/GERRORN-style pair: hardware toggles `error` bits, software
/// acknowledges by writing the same value into `ack`; an error is pending while
/// the two differ.
public struct TogglePairSpec: Hashable, Sendable {
  public var error: String
  public var ack: String
  public var mark: Mark
}
