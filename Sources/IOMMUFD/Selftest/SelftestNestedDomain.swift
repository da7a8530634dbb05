/// `struct mock_iommu_domain_nested` with `domain_nested_ops`
/// (drivers/iommu/iommufd/selftest.c, v6.17): a nested domain on a mock
/// vIOMMU with four IOTLB entries initialised from the user's `iotlb`.
public final class SelftestNestedDomain: NestedDomain {
  /// `mock_nested->iotlb[MOCK_NESTED_DOMAIN_IOTLB_NUM]`, read by
  /// `IOMMU_TEST_OP_MD_CHECK_IOTLB`.
  public internal(set) var iotlb: [UInt32]

  init(iotlb: UInt32) {
    self.iotlb = Array(repeating: iotlb, count: IOMMUTest.nestedIOTLBCount)
  }

  /// `__mock_domain_alloc_nested`: `data_type` not
  /// ``IOMMUTest/hwptDataType`` → `EOPNOTSUPP`; `data_len` not 4
  /// (`iommu_copy_struct_from_user`, `struct iommu_hwpt_selftest`) → `EINVAL`.
  public static func allocate(data: HWPTUserData) throws(Errno) -> SelftestNestedDomain {
    guard data.type == IOMMUTest.hwptDataType else {
      throw Errno.eopnotsupp(
        "__mock_domain_alloc_nested: data_type 0x\(hex(UInt64(data.type))) is not IOMMU_HWPT_DATA_SELFTEST")
    }
    guard data.bytes.count == 4 else {
      throw Errno.einval("iommu_copy_struct_from_user: data_len \(data.bytes.count) != 4 (struct iommu_hwpt_selftest)")
    }
    let value = data.bytes.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(8 * $1.offset) }
    return SelftestNestedDomain(iotlb: value)
  }

  /// `mock_domain_nop_attach` with this domain: the device's vDEVICE on the
  /// HWPT's vIOMMU (`iommufd_viommu_get_vdev_id`, `ENOENT` without one); if
  /// the device (a mock device) changes vIOMMU, `mdev->viommu` and
  /// `mdev->vdev_id` are updated (re-attaching under the same vIOMMU keeps
  /// the old `vdev_id`, as the kernel does). No STE.
  public func attach(_ device: IOMMUFDDevice, to hwpt: HWPTNested) throws(Errno) -> PhysicalSTE? {
    guard let context = hwpt.context else { throw Errno.einval("mock_domain_nop_attach: no context") }
    let vdevID = try context.viommuGetVDevID(hwpt.viommu, device: device)
    let mockVIOMMU = hwpt.viommu.ops as? SelftestVIOMMU
    if let mock = (device.driver as? SelftestIOMMUDriver)?.mockDevice(of: device), mock.viommu !== mockVIOMMU {
      mock.viommu = mockVIOMMU
      mock.vdevID = vdevID
    }
    return nil
  }

  public var supportsCacheInvalidateUser: Bool { true }

  /// `mock_domain_cache_invalidate_user`: `data_type` not
  /// ``IOMMUTest/hwptInvalidateDataType`` → `EINVAL` (also with no
  /// entries); then entry by entry, in order: `iommu_copy_struct_from_user_array`
  /// (`entry_len` must be 8, `min_last` is `iotlb_id`) → `EINVAL`/`EFAULT`;
  /// `flags` other than ALL → `EOPNOTSUPP`; `iotlb_id > 3` → `EINVAL`; ALL
  /// clears the four entries, otherwise `iotlb[iotlb_id]`. `entry_num` is
  /// the number processed.
  public func cacheInvalidateUser(_ hwpt: HWPTNested, array: inout UserDataArray) throws(Errno) {
    var processed: UInt32 = 0
    defer { array.entryNum = processed }
    let type = IOMMUTest.hwptInvalidateDataType
    guard array.type == type else {
      throw Errno.einval(
        "mock_domain_cache_invalidate_user: data_type 0x\(hex(UInt64(array.type))) is not IOMMU_HWPT_INVALIDATE_DATA_SELFTEST")
    }
    let size = SelftestHWPTInvalidation.size
    for index in 0..<array.entryNum {
      let entry = SelftestHWPTInvalidation(bytes: try array.copyEntry(index, size: size, minSize: size, type: type))
      guard entry.flags & ~IOMMUTest.invalidateFlagAll == 0 else {
        throw Errno.eopnotsupp("mock_domain_cache_invalidate_user: entry \(index) flags 0x\(hex(UInt64(entry.flags)))")
      }
      guard entry.iotlbID < UInt32(IOMMUTest.nestedIOTLBCount) else {
        throw Errno.einval("mock_domain_cache_invalidate_user: entry \(index) iotlb_id \(entry.iotlbID) > 3")
      }
      if entry.flags & IOMMUTest.invalidateFlagAll != 0 {
        for i in iotlb.indices { iotlb[i] = 0 }
      } else {
        iotlb[Int(entry.iotlbID)] = 0
      }
      processed += 1
    }
  }
}
