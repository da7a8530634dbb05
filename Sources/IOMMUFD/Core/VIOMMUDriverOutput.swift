/// What a driver's `viommu_init` copies back into the user's
/// `IOMMU_VIOMMU_ALLOC` data buffer (`iommu_copy_struct_to_user`): for
/// Tegra241 `struct iommu_viommu_tegra241_cmdqv { out_vintf_mmap_offset;
/// out_vintf_mmap_length; }`, for the selftest mock `struct
/// iommu_viommu_selftest`. The core knows no layout: the bytes overwrite the
/// start of the user's buffer, which is what
/// ``VIOMMUAllocation/data`` returns; a driver-typed view decodes them
/// (``VIOMMUUserData``).
public struct VIOMMUDriverOutput: Hashable, Sendable {
  /// The bytes written back, from the start of the user's buffer (at most
  /// `data_len` of them; more is a driver bug the core warns about).
  public var data: [UInt8]

  public init(data: [UInt8] = []) {
    self.data = data
  }
}
