/// `struct mock_dev` (drivers/iommu/iommufd/selftest.c, v6.17): a device on
/// the selftest's mock bus, created by `IOMMU_TEST_OP_MOCK_DOMAIN` and bound
/// behind the ``SelftestIOMMUDriver``. Its StreamID in this model is its
/// ``id``.
public final class SelftestMockDevice {
  /// `mdev->id` from `mock_dev_ida` (lowest free, from 0); the device is
  /// named `iommufd_mock<id>`.
  public let id: Int
  /// `mdev->flags` (`MOCK_FLAGS_DEVICE_*`).
  public let flags: IOMMUTest.DeviceFlags
  /// `mdev->cache[MOCK_DEV_CACHE_NUM]`, each starting at
  /// ``IOMMUTest/devCacheDefault``; cleared by the mock vIOMMU's
  /// `cache_invalidate`, read by `IOMMU_TEST_OP_DEV_CACHE_CHECK`.
  public internal(set) var cache: [UInt32]
  /// `mdev->viommu`: the mock vIOMMU of the nested domain the device is
  /// attached to (`nil` on a paging or blocking domain).
  public internal(set) var viommu: SelftestVIOMMU?
  /// `mdev->vdev_id`: the device's virtual ID on ``viommu`` when it was
  /// attached (0 = none); `IOMMU_TEST_OP_TRIGGER_VEVENT` reports it.
  public internal(set) var vdevID: UInt64 = 0

  init(id: Int, flags: IOMMUTest.DeviceFlags) {
    self.id = id
    self.flags = flags
    self.cache = Array(repeating: IOMMUTest.devCacheDefault, count: IOMMUTest.deviceCacheCount)
  }

  /// The StreamID the model binds the device with.
  public var streamID: UInt32 { UInt32(id) }
  /// `dev_name(&mdev->dev)`.
  public var name: String { "iommufd_mock\(id)" }
}
