/// What a driver's `viommu_init` copies back to the user in
/// `IOMMU_VIOMMU_ALLOC`'s driver data (for Tegra:
/// `struct iommu_viommu_tegra241_cmdqv { out_vintf_mmap_offset; out_vintf_mmap_length; }`).
public struct VIOMMUDriverOutput: Hashable, Sendable {
  /// The mmap offset of a region registered with
  /// ``IOMMUFDContext/allocMMap(viommu:physicalAddress:length:)``, if any.
  public var mmapOffset: UInt64?
  /// Its length.
  public var mmapLength: UInt64?
  /// Any other driver output bytes (e.g. the selftest mock's `out_data`).
  public var data: [UInt8]

  public init(mmapOffset: UInt64? = nil, mmapLength: UInt64? = nil, data: [UInt8] = []) {
    self.mmapOffset = mmapOffset
    self.mmapLength = mmapLength
    self.data = data
  }
}
