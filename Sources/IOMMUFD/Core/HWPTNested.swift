/// `struct iommufd_hwpt_nested` (IOMMUFD_OBJ_HWPT_NESTED) allocated on a
/// vIOMMU. Holds a `users` reference on the vIOMMU, so the vIOMMU cannot be
/// destroyed while it exists (UT `viommu_negative_tests`).
public final class HWPTNested: IOMMUFDObject {
  /// The vIOMMU the nested domain was allocated from.
  public let viommu: VIOMMU

  init(viommu: VIOMMU) {
    self.viommu = viommu
    super.init(type: .hwptNested)
  }
}
