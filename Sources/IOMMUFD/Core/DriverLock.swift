/// A named driver mutex (e.g. `"vfio.lock"`) for the lock-order checker.
///
/// A driver acquires and releases it through
/// ``IOMMUFDContext/acquire(_:)`` and ``IOMMUFDContext/release(_:)`` so the
/// context can see which locks an access's destroy path holds and which an
/// unmap callback takes (the kdoc of `iommufd_access_notify_unmap`,
/// drivers/iommu/iommufd/device.c, v6.17: a driver's locking must not keep
/// an unmap callback from completing while `iommufd_access_destroy` runs).
public final class DriverLock: CustomStringConvertible {
  /// The lock's name, used in diagnostics.
  public let name: String

  public init(_ name: String) {
    self.name = name
  }

  public var description: String { "'\(name)'" }
}
