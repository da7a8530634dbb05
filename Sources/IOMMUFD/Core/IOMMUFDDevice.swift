/// `struct iommufd_device` (IOMMUFD_OBJ_DEVICE): a device bound to the fd
/// (`iommufd_device_bind`), behind the physical IOMMU ``driver``.
public final class IOMMUFDDevice: IOMMUFDObject {
  /// The physical IOMMU the device sits behind (`dev->iommu->iommu_dev`).
  public let driver: any IOMMUDriver
  /// The device's StreamIDs (`master->streams`).
  public let streamIDs: [UInt32]
  /// `idev->vdev`: the vDEVICE of this device, if any.
  public internal(set) var vdevice: VDevice?
  /// `idev->destroying`: set by `iommufd_device_pre_destroy`.
  public internal(set) var isDestroying = false

  init(driver: any IOMMUDriver, streamIDs: [UInt32]) {
    self.driver = driver
    self.streamIDs = streamIDs
    super.init(type: .device)
  }
}
