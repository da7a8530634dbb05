/// `struct iommu_viommu_invalidate_selftest` (drivers/iommu/iommufd/
/// iommufd_test.h, v6.17): one entry of an `IOMMU_HWPT_INVALIDATE` on a mock
/// vIOMMU, data type ``IOMMUTest/viommuInvalidateDataType``:
/// `{ __u32 flags; __u32 vdev_id; __u32 cache_id; }`, 12 bytes.
public struct SelftestVIOMMUInvalidation: InvalidationEntry, Hashable, Sendable {
  /// `sizeof(struct iommu_viommu_invalidate_selftest)`.
  public static let size = 12

  /// `IOMMU_TEST_INVALIDATE_FLAG_ALL` or 0.
  public var flags: UInt32
  /// The vDEVICE's `virt_id`.
  public var vdevID: UInt32
  /// Which `mdev->cache[]` entry (0...3).
  public var cacheID: UInt32

  public init(flags: UInt32 = 0, vdevID: UInt32, cacheID: UInt32 = 0) {
    self.flags = flags
    self.vdevID = vdevID
    self.cacheID = cacheID
  }

  /// Decodes one entry from the kernel-sized (zero-extended) bytes.
  public init(bytes: [UInt8]) {
    func word(_ i: Int) -> UInt32 {
      (0..<4).reduce(UInt32(0)) { v, b in i * 4 + b < bytes.count ? v | UInt32(bytes[i * 4 + b]) << UInt32(8 * b) : v }
    }
    self.init(flags: word(0), vdevID: word(1), cacheID: word(2))
  }

  /// The 12 little-endian bytes.
  public var bytes: [UInt8] {
    [flags, vdevID, cacheID].flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> UInt32(8 * $0)) } }
  }

  public static var invalidationDataType: UInt32 { IOMMUTest.viommuInvalidateDataType }
  public static var invalidationEntryLength: Int { size }
  public var invalidationBytes: [UInt8] { bytes }
}
