/// Selftest constants (drivers/iommu/iommufd/iommufd_test.h and selftest.c, v6.17).
enum Selftest {
  static let viommuType: UInt32 = 0xdead_beef
  static let hwQueueType: UInt32 = 0xdead_beef
  static let veventqType: UInt32 = 0xbeef_beef
  static let hwInfoType: UInt32 = 0xfeed_beef
  static let hwQueueMax = 2
  /// `IOMMU_TEST_IOTLB_DEFAULT`.
  static let iotlbDefault: UInt32 = 0xbad_beef
  /// `IOMMU_HWPT_INVALIDATE_DATA_SELFTEST`.
  static let hwptInvalidateType: UInt32 = 0xdead_beef
  /// `IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID`.
  static let hwptInvalidateTypeInvalid: UInt32 = 0xdad_beef
  /// `IOMMU_TEST_INVALIDATE_FLAG_ALL`.
  static let invalidateFlagAll: UInt32 = 1
}
