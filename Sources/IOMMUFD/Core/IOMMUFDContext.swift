/// `struct iommufd_ctx`: one open `/dev/iommu` file descriptor.
///
/// Single-threaded, like the rest of the model: every ioctl runs to
/// completion, and driver callbacks run synchronously inside it. Objects live
/// in a table indexed by ID (`ictx->objects`, an xarray allocated with
/// `xa_alloc(…, xa_limit_31b)`): IDs start at 1 and the lowest free index is
/// taken. Reserved (allocated but not finalized) IDs and tombstones occupy
/// their index and are invisible to lookups.
///
/// The ioctls are methods named after them (`allocVIOMMU` is
/// `IOMMU_VIOMMU_ALLOC`, …); each checks in the kernel's order and throws the
/// kernel's errno (see Docs/Driver.md). Driver-facing helpers
/// (`iommufd_viommu_alloc_mmap`, `iommufd_hw_queue_depend`,
/// `iommufd_viommu_report_event`, the access API) are methods too.
public final class IOMMUFDContext {
  enum Slot {
    /// `XA_ZERO_ENTRY` while an object is being allocated.
    case reserved(IOMMUFDObject)
    case live(IOMMUFDObject)
    /// `XA_ZERO_ENTRY` left by `iommufd_object_tombstone_user`.
    case tombstone(IOMMUFDObjectType)
  }

  /// The physical IOMMUs devices can be bound behind.
  public let drivers: [any IOMMUDriver]
  /// `ULONG_MAX` of the modelled kernel (C.7 row 1 compares `virt_id` with it).
  public let unsignedLongMax: UInt64

  var slots: [UInt32: Slot] = [:]
  /// The mmap registry (`ictx->mt_mmap`), by offset.
  var mmapRegions: [UInt64: MMapRegion] = [:]
  var mappings: [MMapping] = []
  /// hw_queue/object dependencies: dependent → depended (for the cycle check).
  var dependencies: [ObjectIdentifier: [IOMMUFDObject]] = [:]

  // Lock-order checker state.
  var heldLocks: [DriverLock] = []
  var unmapCallbackStack: [Access] = []
  /// Per IOAS: lock name → access whose destroy path held it.
  var destroyPathLocks: [ObjectIdentifier: [String: UInt32]] = [:]
  /// Per IOAS: lock name → access whose unmap callback took it.
  var unmapCallbackLocks: [ObjectIdentifier: [String: UInt32]] = [:]

  /// Kernel `WARN`s and driver-contract problems, in order.
  public internal(set) var warnings: [String] = []
  /// Lock-order violations found (also thrown where they happen).
  public internal(set) var lockDiagnostics: [LockOrderViolation] = []

  /// Fault injection (like `fail_nth`): the next object allocation fails with
  /// `ENOMEM` (C.8 row 8).
  public var failNextObjectAllocation = false
  /// Fault injection: the next vEVENT allocation fails (`-ENOMEM` in
  /// `iommufd_viommu_report_event`, which queues a lost-events header).
  public var failNextEventAllocation = false

  /// Creates a context (opens `/dev/iommu`) over the given physical IOMMUs.
  /// `unsignedLongBits` is 64 on arm64; 32 models a 32-bit `unsigned long`.
  public init(drivers: [any IOMMUDriver], unsignedLongBits: Int = 64) {
    precondition(unsignedLongBits == 32 || unsignedLongBits == 64, "unsigned long is 32 or 64 bits")
    self.drivers = drivers
    self.unsignedLongMax = unsignedLongBits == 64 ? UInt64.max : UInt64(UInt32.max)
  }

  func warn(_ message: String) {
    warnings.append(message)
  }

  // MARK: Object lifecycle (MAIN)

  /// `_iommufd_object_alloc`: reserves the lowest free ID ≥ 1.
  func allocateObject(_ object: IOMMUFDObject) throws(Errno) {
    if failNextObjectAllocation {
      failNextObjectAllocation = false
      throw Errno.enomem("\(object.type) object allocation failed (fault injection)")
    }
    var id: UInt32 = 1
    while slots[id] != nil {
      guard id < UInt32(Int32.max) else { throw Errno.enospc("xa_alloc: no free ID (xa_limit_31b)") }
      id += 1
    }
    object.id = id
    object.context = self
    object.users = 1
    object.state = .allocated
    slots[id] = .reserved(object)
  }

  /// `iommufd_object_finalize`.
  func finalize(_ object: IOMMUFDObject) {
    guard case .reserved(let reserved) = slots[object.id], reserved === object else {
      warn("iommufd_object_finalize: slot \(object.id) is not XA_ZERO_ENTRY")
      return
    }
    object.state = .live
    slots[object.id] = .live(object)
  }

  /// `iommufd_object_abort`: frees the reserved ID.
  func abort(_ object: IOMMUFDObject) {
    if case .reserved(let reserved) = slots[object.id], reserved === object {
      slots[object.id] = nil
    }
    object.state = .destroyed
  }

  /// `iommufd_object_abort_and_destroy`: runs the type's abort/destroy, then
  /// aborts.
  func abortAndDestroy(_ object: IOMMUFDObject) {
    runDestroy(object)
    abort(object)
  }

  /// `iommufd_get_object(ictx, id, type)`: a live object of that type, or
  /// `ENOENT` (also for reserved IDs, tombstones and a type mismatch).
  func lookup(_ id: UInt32, _ type: IOMMUFDObjectType?, _ what: String) throws(Errno) -> IOMMUFDObject {
    guard case .live(let object) = slots[id] else {
      throw Errno.enoent("\(what): no object with ID \(id)")
    }
    if let type, object.type != type {
      throw Errno.enoent("\(what): object \(id) is a \(object.type), not a \(type)")
    }
    return object
  }

  /// `iommufd_lock_obj`: `users++`, `wait_cnt++` for the ioctl's duration.
  func lockObject(_ object: IOMMUFDObject) {
    object.users += 1
    object.waitCount += 1
  }

  /// `iommufd_put_object`.
  func putObject(_ object: IOMMUFDObject) {
    object.users -= 1
    object.waitCount -= 1
  }

  /// Runs the type's `ops->destroy` (or `abort`) on an object already removed
  /// from the table.
  func runDestroy(_ object: IOMMUFDObject) {
    switch object {
    case let device as IOMMUFDDevice: destroyDevice(device)
    case let hwpt as HWPTPaging: destroyHWPTPaging(hwpt)
    case let nested as HWPTNested: destroyHWPTNested(nested)
    case let fault as FaultQueue: destroyFaultQueue(fault)
    case let ioas as IOAS: destroyIOAS(ioas)
    case let access as Access: releaseAccess(access)
    case let viommu as VIOMMU: destroyVIOMMU(viommu)
    case let vdevice as VDevice: destroyVDevice(vdevice)
    case let queue as VEventQueue: destroyVEventQueue(queue)
    case let queue as HWQueue: destroyHWQueue(queue)
    case let object as SelftestObject: destroySelftestObject(object)
    default: warn("no destroy op for \(object.label)")
    }
    object.state = .destroyed
  }
}
