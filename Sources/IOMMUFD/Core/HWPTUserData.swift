/// `struct iommu_user_data` as `IOMMU_HWPT_ALLOC` passes it: `data_type`
/// (`enum iommu_hwpt_data_type`) and the `data_len` bytes at `data_uptr`.
/// `nil` in an API taking `HWPTUserData?` is `data_type` NONE with
/// `data_len` 0.
public struct HWPTUserData: Hashable, Sendable {
  /// `data_type`.
  public var type: UInt32
  /// The user buffer; its count is `data_len`.
  public var bytes: [UInt8]

  public init(type: UInt32, bytes: [UInt8]) {
    self.type = type
    self.bytes = bytes
  }

  /// `IOMMU_HWPT_DATA_NONE`.
  public static let typeNone: UInt32 = 0
  /// `IOMMU_HWPT_DATA_ARM_SMMUV3` (`struct iommu_hwpt_arm_smmuv3`).
  public static let typeARMSMMUv3: UInt32 = 2
  /// `IOMMU_HWPT_DATA_SELFTEST` (drivers/iommu/iommufd/iommufd_test.h).
  public static let typeSelftest: UInt32 = 0xdead

  /// `struct iommu_hwpt_arm_smmuv3 { __le64 ste[2]; }`: a guest STE's first
  /// two words, little-endian.
  public static func armSMMUv3(ste0: UInt64, ste1: UInt64) -> HWPTUserData {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(16)
    for word in [ste0, ste1] {
      for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
    }
    return HWPTUserData(type: typeARMSMMUv3, bytes: bytes)
  }

  /// Little-endian 64-bit word `index` of ``bytes`` (zero beyond the end).
  func le64(_ index: Int) -> UInt64 {
    var value: UInt64 = 0
    for i in 0..<8 where index * 8 + i < bytes.count {
      value |= UInt64(bytes[index * 8 + i]) << UInt64(8 * i)
    }
    return value
  }
}
