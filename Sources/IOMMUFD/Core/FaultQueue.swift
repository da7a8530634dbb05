/// `struct iommufd_fault` (IOMMUFD_OBJ_FAULT), allocated by
/// `IOMMU_FAULT_QUEUE_ALLOC`. Its anon-inode fd holds a `users` reference
/// until it is closed (``IOMMUFDContext/closeFaultQueueFile(_:)``); every
/// HWPT allocated with its ID holds another.
public final class FaultQueue: IOMMUFDObject {
  /// Whether the `[iommufd-pgfault]` fd is still open.
  public internal(set) var isFileOpen = true

  init() {
    super.init(type: .fault)
  }
}
