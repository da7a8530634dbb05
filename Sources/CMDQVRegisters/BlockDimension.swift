/// One array dimension of a register block: `count` instances `stride` bytes
/// apart, named `label` + index in instance names (`VINTF1_…`).
public struct BlockDimension: Hashable, Sendable {
  public let label: String
  /// The maximum number of instances the map allows.
  public let count: Int
  public let stride: Int
  /// The device-configuration parameter that decides how many instances exist
  /// (`num_vintfs`, …), or `nil` when all `count` always exist.
  public let parameter: String?

  public init(label: String, count: Int, stride: Int, parameter: String? = nil) {
    self.label = label
    self.count = count
    self.stride = stride
    self.parameter = parameter
  }
}
