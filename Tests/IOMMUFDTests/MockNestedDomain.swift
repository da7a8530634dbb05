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

  /// Tests switch it off to model a NULL `cache_invalidate_user`.
  var supportsCacheInvalidateUser = true

  /// `mock_domain_cache_invalidate_user`: the type is checked first (EINVAL,
  /// also for entry_num 0); then per entry `iommu_copy_struct_from_user_array`
  /// (`struct iommu_hwpt_invalidate_selftest { flags; iotlb_id; }`, min_last
  /// `iotlb_id`, so entry_len must be 8), unknown flags → EOPNOTSUPP,
  /// `iotlb_id > 3` → EINVAL; FLAG_ALL clears all four entries, else
  /// `iotlb[iotlb_id]`. `entry_num` = the entries processed.
  func cacheInvalidateUser(_ hwpt: HWPTNested, array: inout UserDataArray) throws(Errno) {
    var processed: UInt32 = 0
    defer { array.entryNum = processed }
    guard array.type == Selftest.hwptInvalidateType else {
      throw Errno.einval("mock_domain_cache_invalidate_user: data_type 0x\(String(array.type, radix: 16))")
    }
    for i in 0..<array.entryNum {
      let entry = try array.copyEntry(i, size: 8, minSize: 8, type: Selftest.hwptInvalidateType)
      let flags = MockNestedDomain.le32(entry, 0)
      let id = MockNestedDomain.le32(entry, 4)
      guard flags & ~Selftest.invalidateFlagAll == 0 else { throw Errno.eopnotsupp("mock: flags 0x\(flags)") }
      guard id <= 3 else { throw Errno.einval("mock: iotlb_id \(id) > 3") }
      if flags & Selftest.invalidateFlagAll != 0 {
        iotlb = [0, 0, 0, 0]
      } else {
        iotlb[Int(id)] = 0
      }
      processed += 1
    }
  }

  static func le32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
  }

  /// `struct iommu_hwpt_invalidate_selftest` as the user lays it out.
  static func invalidation(flags: UInt32 = 0, iotlbID: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: flags >> UInt32(8 * $0)) }
      + (0..<4).map { UInt8(truncatingIfNeeded: iotlbID >> UInt32(8 * $0)) }
  }

  /// `struct iommu_hwpt_selftest { __u32 iotlb; }`.
  static func data(iotlb: UInt32 = Selftest.iotlbDefault) -> HWPTUserData {
    HWPTUserData(type: HWPTUserData.typeSelftest, bytes: (0..<4).map { UInt8(truncatingIfNeeded: iotlb >> UInt32(8 * $0)) })
  }
}
