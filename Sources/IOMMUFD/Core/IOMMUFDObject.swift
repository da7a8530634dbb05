/// `struct iommufd_object`: the base of every object in the fd's table.
///
/// Counts follow the kernel (`struct iommufd_object`, include/linux/iommufd.h,
/// and drivers/iommu/iommufd/main.c, v6.17):
/// - ``users`` is the long-term reference count. The table holds 1 from
///   allocation; other objects add more (a vIOMMU holds its HWPT, a vDEVICE or
///   HW queue holds its vIOMMU, a dependent queue holds the one it depends on,
///   a live mmap holds its owner). `IOMMU_DESTROY` succeeds only if it can drop
///   `users` from exactly 1 to 0.
/// - ``waitCount`` (`wait_cnt`, formerly `shortterm_users`) counts short-lived
///   references taken by an ioctl in flight (`iommufd_lock_obj`, which also
///   adds a `users` reference until `iommufd_put_object`).
public class IOMMUFDObject {
  /// `obj->type`.
  public let type: IOMMUFDObjectType
  /// `obj->id`.
  public internal(set) var id: UInt32 = 0
  /// `obj->users`.
  public internal(set) var users: Int = 1
  /// `obj->wait_cnt` beyond the table's own: in-flight ioctl references.
  public internal(set) var waitCount: Int = 0
  /// Where the object is in its lifecycle.
  public internal(set) var state: State = .allocated

  /// The fd this object belongs to (`obj->ictx` for the types that keep it).
  public internal(set) weak var context: IOMMUFDContext?

  /// The lifecycle of an object in the fd's table.
  public enum State: Sendable, Equatable {
    /// `_iommufd_object_alloc`: the ID is reserved (`XA_ZERO_ENTRY`) but
    /// lookups do not see it.
    case allocated
    /// `iommufd_object_finalize`: visible to lookups.
    case live
    /// Destroyed or aborted; the Swift object may still be referenced.
    case destroyed
  }

  init(type: IOMMUFDObjectType) {
    self.type = type
  }

  /// `"object 7 (HW_QUEUE)"`, for messages.
  public var label: String { "object \(id) (\(type))" }
}
