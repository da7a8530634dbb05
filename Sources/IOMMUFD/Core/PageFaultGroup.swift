/// `struct iopf_group` as iommufd queues it (`iommufd_fault_iopf_handler`,
/// drivers/iommu/iommufd/eventq.c, v6.17): the faults of one page request
/// group of a device, delivered through the fault queue of the HWPT the
/// device was attached to.
public final class PageFaultGroup {
  /// The faulting device.
  public let device: IOMMUFDDevice
  /// The HWPT whose domain handled the fault (`group->attach_handle`).
  public let hwpt: IOMMUFDObject
  /// The faults (`dev_id` is filled in when read; `cookie` once delivered).
  public internal(set) var faults: [HWPTPageFault]
  /// The cookie given when the group was read (0 before).
  public internal(set) var cookie: UInt32 = 0

  init(device: IOMMUFDDevice, hwpt: IOMMUFDObject, faults: [HWPTPageFault]) {
    self.device = device
    self.hwpt = hwpt
    self.faults = faults
  }
}
