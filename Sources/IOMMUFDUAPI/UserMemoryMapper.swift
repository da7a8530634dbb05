import IOMMUFD

/// How `IOMMU_IOAS_MAP` turns a user virtual address range into the
/// physical addresses the IOAS maps (`iopt_map_user_pages` pins the pages).
public protocol UserMemoryMapper: AnyObject {
  /// Pins `[userVA, userVA + length)` (page aligned, non-empty) and returns
  /// the physical address of its first byte; the range is physically
  /// contiguous. `EFAULT` when any page is not mapped in the process.
  func pin(userVA: UInt64, length: UInt64) throws(Errno) -> UInt64
  /// Releases a range ``pin(userVA:length:)`` returned, once no IOAS area
  /// maps it any more.
  func unpin(physicalAddress: UInt64, length: UInt64)
}
