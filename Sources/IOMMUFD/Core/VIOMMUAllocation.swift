/// The result of ``IOMMUFDContext/allocVIOMMU(device:hwpt:type:data:flags:)``:
/// `out_viommu_id` plus the user's data buffer as the call left it.
///
/// Driver-specific output (an mmap offset and length, an echoed value) lives
/// only in ``data``, in the driver's uAPI struct; decode it with
/// ``userData(as:)`` and the driver's ``VIOMMUUserData`` type (Tegra241:
/// `Tegra241VIOMMUData`, or `allocation.tegra241`).
public struct VIOMMUAllocation: Hashable, Sendable {
  /// `out_viommu_id`.
  public var id: UInt32
  /// The vIOMMU `type` it was allocated with.
  public var type: UInt32
  /// The `data_len` bytes at `data_uptr` after the ioctl: the caller's bytes
  /// with the driver's output copied over their start.
  public var data: [UInt8]

  public init(id: UInt32, type: UInt32, data: [UInt8]) {
    self.id = id
    self.type = type
    self.data = data
  }

  /// ``data`` decoded as a driver's struct, or `nil` when the vIOMMU type is
  /// not that driver's or the length does not match.
  public func userData<T: VIOMMUUserData>(as _: T.Type) -> T? {
    guard type == T.viommuType else { return nil }
    return T(bytes: data)
  }
}

/// A driver's `IOMMU_VIOMMU_ALLOC` data struct (include/uapi/linux/iommufd.h):
/// what the caller passes as `data` and reads back in
/// ``VIOMMUAllocation/data``.
public protocol VIOMMUUserData {
  /// The `IOMMU_VIOMMU_TYPE_*` the struct belongs to.
  static var viommuType: UInt32 { get }
  /// Decodes the struct; `nil` if `bytes` is not its size.
  init?(bytes: [UInt8])
  /// The struct as the user lays it out (little-endian).
  var bytes: [UInt8] { get }
}
