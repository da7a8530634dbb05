/// `struct iommufd_fault` (IOMMUFD_OBJ_FAULT), allocated by
/// `IOMMU_FAULT_QUEUE_ALLOC`. Its anon-inode fd holds a `users` reference
/// until it is closed (``IOMMUFDContext/closeFaultQueueFile(_:)``); every
/// HWPT allocated with its ID holds another.
public final class FaultQueue: IOMMUFDObject {
  /// Whether the `[iommufd-pgfault]` fd is still open.
  public internal(set) var isFileOpen = true
  /// `fault->common.deliver`: groups waiting to be read.
  var deliver: [PageFaultGroup] = []
  /// `fault->response`: groups read and waiting for an answer, by cookie.
  var response: [UInt32: PageFaultGroup] = [:]

  /// Groups queued and not read yet.
  public var pendingGroupCount: Int { deliver.count }
  /// Cookies of groups read and not answered yet, ascending.
  public var awaitingResponse: [UInt32] { response.keys.sorted() }

  init() {
    super.init(type: .fault)
  }
}
