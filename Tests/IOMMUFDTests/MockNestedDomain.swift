import IOMMUFD

/// `struct mock_iommu_domain_nested` allocated by
/// `mock_viommu_alloc_domain_nested` (drivers/iommu/iommufd/selftest.c,
/// v6.17): four IOTLB entries initialised from the user's `iotlb`.
final class MockNestedDomain: NestedDomain {
  var iotlb: [UInt32]

  init(iotlb: UInt32) {
    self.iotlb = Array(repeating: iotlb, count: 4)
  }

  /// `mock_viommu_alloc_domain_nested`: flags other than PASID →
  /// EOPNOTSUPP; data_type not IOMMU_HWPT_DATA_SELFTEST → EOPNOTSUPP;
  /// data_len != 4 → EINVAL.
  static func allocate(flags: HWPTAllocFlags, data: HWPTUserData) throws(Errno) -> MockNestedDomain {
    guard flags.isSubset(of: .pasid) else { throw Errno.eopnotsupp("mock: flags 0x\(flags.rawValue)") }
    guard data.type == HWPTUserData.typeSelftest else { throw Errno.eopnotsupp("mock: data_type \(data.type)") }
    guard data.bytes.count == 4 else { throw Errno.einval("mock: data_len \(data.bytes.count) != 4") }
    let value = data.bytes.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(8 * $1.offset) }
    return MockNestedDomain(iotlb: value)
  }

  /// `mock_domain_nop_attach` for a nested domain on a mock vIOMMU:
  /// `iommufd_viommu_get_vdev_id` → ENOENT without a vDEVICE.
  func attach(_ device: IOMMUFDDevice, to hwpt: HWPTNested) throws(Errno) -> PhysicalSTE? {
    _ = try hwpt.context!.viommuGetVDevID(hwpt.viommu, device: device)
    return nil
  }

  /// `struct iommu_hwpt_selftest { __u32 iotlb; }`.
  static func data(iotlb: UInt32 = Selftest.iotlbDefault) -> HWPTUserData {
    HWPTUserData(type: HWPTUserData.typeSelftest, bytes: (0..<4).map { UInt8(truncatingIfNeeded: iotlb >> UInt32(8 * $0)) })
  }
}
