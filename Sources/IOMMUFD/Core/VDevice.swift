/// `struct iommufd_vdevice` (IOMMUFD_OBJ_VDEVICE), allocated by
/// `IOMMU_VDEVICE_ALLOC`: a device's virtual ID (`virt_id`, e.g. a vSID) on a
/// vIOMMU. Holds a `users` reference on its vIOMMU.
public final class VDevice: IOMMUFDObject {
  /// `sizeof(struct iommufd_vdevice)` in this model; a non-zero
  /// ``VIOMMUOps/vdeviceSize`` below it is the WARN row 7 of C.7.
  public static let coreStructSize = 64

  /// `vdev->viommu`.
  public let viommu: VIOMMU
  /// `vdev->idev`.
  public let device: IOMMUFDDevice
  /// `vdev->virt_id`.
  public let virtID: UInt64
  /// `vdev->destroy`: set by the driver's `vdevice_init` when there is
  /// something to undo; the core calls it on destroy and on abort, before
  /// releasing core state.
  public var destroy: ((VDevice) -> Void)?
  /// Free for the driver (the rest of its `VDEVICE_STRUCT_SIZE` struct).
  public var driverData: AnyObject?

  init(viommu: VIOMMU, device: IOMMUFDDevice, virtID: UInt64) {
    self.viommu = viommu
    self.device = device
    self.virtID = virtID
    super.init(type: .vdevice)
  }
}
