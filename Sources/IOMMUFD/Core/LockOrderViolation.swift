/// A locking rule violation around `iommufd_access_notify_unmap` /
/// `iommufd_access_destroy` that would deadlock the kernel (the rule is in the
/// kdoc of `iommufd_access_notify_unmap`, drivers/iommu/iommufd/device.c,
/// v6.17; a lockdep map `iopt->unmap_map` in `iopt_unmap_iova_range` was
/// posted to catch it). The model
/// reports it instead of deadlocking. Each case names both sides.
public enum LockOrderViolation: Error, Hashable, Sendable, CustomStringConvertible {
  /// `iommufd_access_destroy` of `access` called from inside the unmap
  /// callback of `callbackAccess` (its own, or another access on the same
  /// IOAS: both share the IOAS's `unmap_map` lockdep map).
  case accessDestroyedInsideUnmapCallback(access: UInt32, callbackAccess: UInt32)
  /// Lock `lock` is taken inside an unmap callback of an access on `ioas`
  /// while the destroy path of `destroyedAccess` holds (or held) it.
  case lockTakenInUnmapCallbackHeldByDestroyPath(
    lock: String, callbackAccess: UInt32, destroyedAccess: UInt32, ioas: UInt32)
  /// The destroy path of `destroyedAccess` holds `lock`, which the unmap
  /// callback of `callbackAccess` (same IOAS) was seen taking.
  case destroyPathHoldsLockTakenInUnmapCallback(
    lock: String, destroyedAccess: UInt32, callbackAccess: UInt32, ioas: UInt32)

  /// `mutex_lock` of a lock the caller already holds (a self-deadlock), for
  /// example a driver that holds its lock around `IOMMU_IOAS_UNMAP` and takes
  /// it again in the unmap callback.
  case lockAlreadyHeld(lock: String)

  public var description: String {
    switch self {
    case .lockAlreadyHeld(let lock):
      "lock '\(lock)' acquired while already held (mutex_lock would deadlock)"
    case .accessDestroyedInsideUnmapCallback(let access, let cb):
      "access \(access) destroyed from inside "
        + (cb == access ? "its unmap callback " : "the unmap callback of access \(cb) on the same IOAS ")
        + "(iommufd_access_notify_unmap → driver unmap → iommufd_access_destroy): "
        + "iommufd_access_destroy waits for the running unmap callback, which never returns"
    case .lockTakenInUnmapCallbackHeldByDestroyPath(let lock, let cb, let destroyed, let ioas):
      "lock '\(lock)' taken in unmap callback (access \(cb), IOAS \(ioas)) "
        + "is held by the destroy path of access \(destroyed) "
        + "(driver holds '\(lock)' → iommufd_access_destroy waits for unmap; "
        + "unmap callback waits for '\(lock)')"
    case .destroyPathHoldsLockTakenInUnmapCallback(let lock, let destroyed, let cb, let ioas):
      "lock '\(lock)' held by the destroy path of access \(destroyed) "
        + "is taken in the unmap callback of access \(cb) (IOAS \(ioas)) "
        + "(driver holds '\(lock)' → iommufd_access_destroy waits for unmap; "
        + "unmap callback waits for '\(lock)')"
    }
  }
}
