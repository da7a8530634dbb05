/// `struct iommu_hwpt_invalidate_selftest` (drivers/iommu/iommufd/
/// iommufd_test.h, v6.17): one entry of an `IOMMU_HWPT_INVALIDATE` on a mock
/// nested HWPT, data type ``IOMMUTest/hwptInvalidateDataType``:
/// `{ __u32 flags; __u32 iotlb_id; }`, 8 bytes.
public struct SelftestHWPTInvalidation: InvalidationEntry, Hashable, Sendable {
  /// `sizeof(struct iommu_hwpt_invalidate_selftest)`.
  public static let size = 8

  /// `IOMMU_TEST_INVALIDATE_FLAG_ALL` or 0.
  public var flags: UInt32
  /// Which IOTLB entry of the nested domain (0...3).
  public var iotlbID: UInt32

  public init(flags: UInt32 = 0, iotlbID: UInt32 = 0) {
    self.flags = flags
    self.iotlbID = iotlbID
  }

  /// Decodes one entry from the kernel-sized (zero-extended) bytes.
  public init(bytes: [UInt8]) {
    func word(_ i: Int) -> UInt32 {
      (0..<4).reduce(UInt32(0)) { v, b in i * 4 + b < bytes.count ? v | UInt32(bytes[i * 4 + b]) << UInt32(8 * b) : v }
    }
    self.init(flags: word(0), iotlbID: word(1))
  }

  /// The 8 little-endian bytes.
  public var bytes: [UInt8] {
    [flags, iotlbID].flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> UInt32(8 * $0)) } }
  }

  public static var invalidationDataType: UInt32 { IOMMUTest.hwptInvalidateDataType }
  public static var invalidationEntryLength: Int { size }
  public var invalidationBytes: [UInt8] { bytes }
}
