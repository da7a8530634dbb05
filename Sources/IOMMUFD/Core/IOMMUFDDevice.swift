/// `struct iommufd_device` (IOMMUFD_OBJ_DEVICE): a device bound to the fd
/// (`iommufd_device_bind`), behind the physical IOMMU ``driver``.
public final class IOMMUFDDevice: IOMMUFDObject {
  /// The physical IOMMU the device sits behind (`dev->iommu->iommu_dev`).
  public let driver: any IOMMUDriver
  /// The device's StreamIDs (`master->streams`).
  public let streamIDs: [UInt32]
  /// `idev->vdev`: the vDEVICE of this device, if any.
  public internal(set) var vdevice: VDevice?
  /// The HWPT the device is attached to (`igroup->hwpt` for `IOMMU_NO_PASID`):
  /// a ``HWPTPaging`` or a ``HWPTNested``. Holds a `users` reference on it.
  public internal(set) var attachedHWPT: IOMMUFDObject?
  /// The STE the SMMUv3 driver would have installed for the attachment
  /// (`nil` when detached, or for an IOMMU without STEs).
  public internal(set) var installedSTE: PhysicalSTE?
  /// Page responses the device received, in order (user answers, automatic
  /// `INVALID`s, aborts).
  public internal(set) var pageResponses: [PageResponse] = []
  /// `iopf_param->partial`: faults of groups whose LAST_PAGE fault has not
  /// arrived yet.
  var partialFaults: [PageFault] = []
  /// `idev->destroying`: set by `iommufd_device_pre_destroy`.
  public internal(set) var isDestroying = false

  init(driver: any IOMMUDriver, streamIDs: [UInt32]) {
    self.driver = driver
    self.streamIDs = streamIDs
    super.init(type: .device)
  }
}
