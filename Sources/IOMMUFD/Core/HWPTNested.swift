/// `struct iommufd_hwpt_nested` (IOMMUFD_OBJ_HWPT_NESTED) allocated on a
/// vIOMMU (`iommufd_viommu_alloc_hwpt_nested`, drivers/iommu/iommufd/
/// hw_pagetable.c, v6.17). Holds a `users` reference on the vIOMMU, so the
/// vIOMMU cannot be destroyed while it exists (`EBUSY`), and one on its fault
/// queue if it was allocated with a fault ID. Its stage-2 parent is the
/// vIOMMU's HWPT (`hwpt_nested->parent = viommu->hwpt`, without a reference).
public final class HWPTNested: IOMMUFDObject {
  /// The vIOMMU the nested domain was allocated from.
  public let viommu: VIOMMU
  /// The driver's nested domain (`hwpt->domain`); `nil` only while the
  /// object is being allocated.
  public internal(set) var domain: (any NestedDomain)?
  /// `hwpt->fault`: the fault queue named by `fault_id`, if any.
  public internal(set) var fault: FaultQueue?
  /// `hwpt->pasid_compat` (`IOMMU_HWPT_ALLOC_PASID`).
  public let isPASIDCompatible: Bool

  /// The stage-2 parent (`hwpt_nested->parent`).
  public var parent: HWPTPaging { viommu.hwpt }

  init(viommu: VIOMMU, isPASIDCompatible: Bool) {
    self.viommu = viommu
    self.isPASIDCompatible = isPASIDCompatible
    super.init(type: .hwptNested)
  }
}
