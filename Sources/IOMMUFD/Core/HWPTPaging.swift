/// `struct iommufd_hwpt_paging` (IOMMUFD_OBJ_HWPT_PAGING), allocated by
/// `IOMMU_HWPT_ALLOC` over an IOAS. Holds a `users` reference on its IOAS.
public final class HWPTPaging: IOMMUFDObject {
  /// The IOAS whose mappings this page table mirrors.
  public let ioas: IOAS
  /// The physical IOMMU (`domain->iommu_dev` / `s2_parent->smmu`).
  public let driver: any IOMMUDriver
  /// `IOMMU_HWPT_ALLOC_NEST_PARENT`: usable as the stage-2 of a vIOMMU.
  public let isNestParent: Bool
  /// The stage-2 VMID (`s2_cfg.vmid`), allocated for nest parents only.
  public internal(set) var vmid: UInt16?

  init(ioas: IOAS, driver: any IOMMUDriver, isNestParent: Bool) {
    self.ioas = ioas
    self.driver = driver
    self.isNestParent = isNestParent
    super.init(type: .hwptPaging)
  }
}
