/// `struct iommufd_viommu` (IOMMUFD_OBJ_VIOMMU), allocated by
/// `IOMMU_VIOMMU_ALLOC`.
///
/// A driver keeps its own state by setting ``ops`` (and, if it wants,
/// ``driverData``) in ``IOMMUDriver/viommuInit(_:userData:)``; this mirrors a
/// driver struct that embeds `struct iommufd_viommu` at offset 0.
public final class VIOMMU: IOMMUFDObject {
  /// `sizeof(struct iommufd_viommu)` in this model: the minimum a driver's
  /// `get_viommu_size` may return (smaller is the WARN row 5 of C.6).
  public static let coreStructSize = 128

  /// `viommu->type` (`enum iommu_viommu_type`).
  public let viommuType: UInt32
  /// `viommu->hwpt`: the nesting parent. Held with a `users` reference.
  public let hwpt: HWPTPaging
  /// `viommu->iommu_dev`.
  public let driver: any IOMMUDriver
  /// `viommu->ops`, set by the driver's `viommu_init`.
  public var ops: (any VIOMMUOps)?
  /// Free for the driver (the rest of its `VIOMMU_STRUCT_SIZE` struct).
  public var driverData: AnyObject?
  /// `viommu->vdevs`: virt_id → vDEVICE.
  public internal(set) var vdevices: [UInt64: VDevice] = [:]
  /// `viommu->veventqs`.
  public internal(set) var eventQueues: [VEventQueue] = []

  init(viommuType: UInt32, hwpt: HWPTPaging, driver: any IOMMUDriver) {
    self.viommuType = viommuType
    self.hwpt = hwpt
    self.driver = driver
    super.init(type: .viommu)
  }
}
