/// `struct iommufd_hwpt_paging` (IOMMUFD_OBJ_HWPT_PAGING), allocated by
/// `IOMMU_HWPT_ALLOC` over an IOAS, or automatically when a device is
/// attached to an IOAS (``isAutoDomain``). Holds a `users` reference on its
/// IOAS.
public final class HWPTPaging: IOMMUFDObject {
  /// The IOAS whose mappings this page table mirrors.
  public let ioas: IOAS
  /// The physical IOMMU (`domain->iommu_dev` / `s2_parent->smmu`).
  public let driver: any IOMMUDriver
  /// `IOMMU_HWPT_ALLOC_NEST_PARENT`: usable as the stage-2 of a vIOMMU.
  public let isNestParent: Bool
  /// `hwpt_paging->auto_domain`: created by an attach to an IOAS; destroyed
  /// when its last device leaves (`iommufd_hw_pagetable_put`).
  public let isAutoDomain: Bool
  /// The stage-2 VMID (`s2_cfg.vmid`), allocated for nest parents only.
  public internal(set) var vmid: UInt16?
  /// `hwpt->fault`: the fault queue named by `fault_id`, if any.
  public internal(set) var fault: FaultQueue?
  /// `IOMMU_HWPT_ALLOC_DIRTY_TRACKING`: the domain has dirty ops.
  public let isDirtyTracking: Bool

  init(
    ioas: IOAS, driver: any IOMMUDriver, isNestParent: Bool, isAutoDomain: Bool = false, isDirtyTracking: Bool = false
  ) {
    self.ioas = ioas
    self.driver = driver
    self.isNestParent = isNestParent
    self.isAutoDomain = isAutoDomain
    self.isDirtyTracking = isDirtyTracking
    super.init(type: .hwptPaging)
  }
}
