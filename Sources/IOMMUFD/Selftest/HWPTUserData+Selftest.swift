extension HWPTUserData {
  /// `struct iommu_hwpt_selftest { __u32 iotlb; }` as
  /// ``IOMMUTest/hwptDataType`` data.
  public static func selftest(iotlb: UInt32 = IOMMUTest.iotlbDefault) -> HWPTUserData {
    HWPTUserData(type: IOMMUTest.hwptDataType, bytes: (0..<4).map { UInt8(truncatingIfNeeded: iotlb >> UInt32(8 * $0)) })
  }
}
