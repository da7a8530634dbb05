/// `struct selftest_obj` of type `TYPE_IDEV` (IOMMUFD_OBJ_SELFTEST): what
/// `IOMMU_TEST_OP_MOCK_DOMAIN` leaves in the table under `out_stdev_id`. It
/// holds the bound ``device`` (a `users` reference, `iommufd_device_bind`'s
/// "the caller is a user until unbind", so `IOMMU_DESTROY` of the device ID is
/// `EBUSY`). Destroying it detaches and unbinds the device (tombstoning its
/// vDEVICE) and deletes the mock device (`iommufd_selftest_destroy`,
/// drivers/iommu/iommufd/selftest.c, v6.17).
public final class SelftestObject: IOMMUFDObject {
  /// `sobj->idev.idev`.
  public let device: IOMMUFDDevice
  /// `sobj->idev.mock_dev`.
  public let mockDevice: SelftestMockDevice
  /// The mock IOMMU the device is behind.
  public let driver: SelftestIOMMUDriver

  init(device: IOMMUFDDevice, mockDevice: SelftestMockDevice, driver: SelftestIOMMUDriver) {
    self.device = device
    self.mockDevice = mockDevice
    self.driver = driver
    super.init(type: .selftest)
  }
}
