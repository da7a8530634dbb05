/// `struct iommufd_fault` (IOMMUFD_OBJ_FAULT), allocated by
/// `IOMMU_FAULT_QUEUE_ALLOC`. Its anon-inode fd holds a `users` reference
/// until it is closed (``IOMMUFDContext/closeFaultQueueFile(_:)``); every
/// HWPT allocated with its ID holds another.
public final class FaultQueue: IOMMUFDObject {
  /// Whether the `[iommufd-pgfault]` fd is still open.
  public internal(set) var isFileOpen = true
  /// `fault->deliver`: groups not read yet, oldest first.
  public internal(set) var deliver: [PageFaultGroup] = []
  /// `fault->response`: groups read and waiting for a response, by cookie.
  public internal(set) var response: [UInt32: PageFaultGroup] = [:]
  /// Every response the driver got for this queue's groups, in order.
  public internal(set) var responses: [PageResponse] = []

  init() {
    super.init(type: .fault)
  }
}
