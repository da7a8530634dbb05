/// `enum iommufd_object_type` (include/linux/iommufd.h, v6.17), without
/// `IOMMUFD_OBJ_NONE`/`ANY`.
public enum IOMMUFDObjectType: String, CaseIterable, Sendable, CustomStringConvertible {
  /// `IOMMUFD_OBJ_DEVICE`, a bound device (`iommufd_device_bind`).
  case device = "DEVICE"
  /// `IOMMUFD_OBJ_HWPT_PAGING`.
  case hwptPaging = "HWPT_PAGING"
  /// `IOMMUFD_OBJ_HWPT_NESTED`.
  case hwptNested = "HWPT_NESTED"
  /// `IOMMUFD_OBJ_IOAS`.
  case ioas = "IOAS"
  /// `IOMMUFD_OBJ_ACCESS`.
  case access = "ACCESS"
  /// `IOMMUFD_OBJ_VIOMMU`.
  case viommu = "VIOMMU"
  /// `IOMMUFD_OBJ_VDEVICE`.
  case vdevice = "VDEVICE"
  /// `IOMMUFD_OBJ_VEVENTQ`.
  case veventq = "VEVENTQ"
  /// `IOMMUFD_OBJ_FAULT`, a fault queue (`IOMMU_FAULT_QUEUE_ALLOC`).
  case fault = "FAULT"
  /// `IOMMUFD_OBJ_HW_QUEUE`.
  case hwQueue = "HW_QUEUE"
  /// `IOMMUFD_OBJ_SELFTEST` (CONFIG_IOMMUFD_TEST): the object
  /// `IOMMU_TEST_OP_MOCK_DOMAIN` creates for a mock device (the `stdev_id`).
  case selftest = "SELFTEST"

  public var description: String { rawValue }
}
