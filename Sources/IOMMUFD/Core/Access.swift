/// `struct iommufd_access` (IOMMUFD_OBJ_ACCESS): a kernel user of an IOAS
/// that pins pages (`iommufd_access_pin_pages`).
///
/// Two kinds exist, as in the kernel:
/// - **external** accesses (`iommufd_access_create`, e.g. VFIO mdev drivers)
///   live in the fd's table with `users == 2` (the table and the calling
///   driver, "a user until iommufd_access_destroy()"), and must provide an
///   ``unmap`` callback (`ops->unmap`) that unpins when the IOAS is unmapped;
/// - **internal** accesses (`iommufd_access_create_internal`, used by HW
///   queues) are in the table too (the ID after their queue's, `users == 2`,
///   destroyed with the queue) and *lock* their pages: `IOMMU_IOAS_UNMAP` of
///   a locked page fails with `EBUSY`.
public final class Access: IOMMUFDObject {
  /// The IOAS this access is attached to (`access->ioas`).
  public internal(set) var ioas: IOAS?
  /// `ops->unmap(data, iova, length)`: must unpin everything it pinned in the
  /// range before returning, and must not call or wait for
  /// `iommufd_access_destroy` of this access (see the lock-order checker).
  public let unmap: ((Access, _ iova: UInt64, _ length: UInt64) -> Void)?
  /// Internal accesses lock their pages against unmap.
  public let isInternal: Bool
  /// For internal accesses: the object they serve (a HW queue), for messages.
  public internal(set) weak var owner: IOMMUFDObject?
  /// Pin counts by page-aligned IOVA.
  public internal(set) var pinnedPages: [UInt64: Int] = [:]
  /// The pinned ranges (`iova`, `length`) in pin order, to check unpins.
  public internal(set) var pinnedRanges: [PinnedRange] = []

  /// One `iommufd_access_pin_pages` call.
  public struct PinnedRange: Hashable, Sendable {
    public var iova: UInt64
    public var length: UInt64
  }

  init(ioas: IOAS, isInternal: Bool, unmap: ((Access, UInt64, UInt64) -> Void)?) {
    self.ioas = ioas
    self.isInternal = isInternal
    self.unmap = unmap
    super.init(type: .access)
  }

  /// `"access 5"` or `"internal access of object 7 (HW_QUEUE)"`.
  public var name: String {
    if isInternal { return "internal access of \(owner?.label ?? "a destroyed object")" }
    return "access \(id)"
  }
}
