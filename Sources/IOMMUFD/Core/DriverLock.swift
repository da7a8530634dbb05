/// A named driver mutex (e.g. `"vfio.lock"`) for the lock-order checker.
///
/// A driver acquires and releases it through
/// ``IOMMUFDContext/acquire(_:)`` and ``IOMMUFDContext/release(_:)`` so the
/// context can see which locks an access's destroy path holds and which an
/// unmap callback takes (seed 003: "a driver must not create locking that
/// prevents unmap to complete while iommufd_access_destroy() is running").
public final class DriverLock: CustomStringConvertible {
  /// The lock's name, used in diagnostics.
  public let name: String

  public init(_ name: String) {
    self.name = name
  }

  public var description: String { "'\(name)'" }
}
