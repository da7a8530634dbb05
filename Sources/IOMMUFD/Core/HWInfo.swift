/// The result of `IOMMU_GET_HW_INFO`: `out_data_type` and the driver's
/// data (for Tegra: `struct iommu_hw_info_tegra241_cmdqv`).
public struct HWInfo: Hashable, Sendable {
  /// `out_data_type` (`enum iommu_hw_info_type`).
  public var type: UInt32
  /// The driver-defined structure, little-endian bytes.
  public var data: [UInt8]
  /// `out_capabilities`.
  public var capabilities: UInt64

  public init(type: UInt32, data: [UInt8], capabilities: UInt64 = 0) {
    self.type = type
    self.data = data
    self.capabilities = capabilities
  }
}
