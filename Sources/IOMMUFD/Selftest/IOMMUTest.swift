/// The constants of the kernel's iommufd selftest
/// (drivers/iommu/iommufd/iommufd_test.h and selftest.c, v6.17), used by
/// ``SelftestIOMMUDriver`` and the `IOMMU_TEST_CMD` ops on
/// ``IOMMUFDContext`` (`testMockDomain(pt:deviceFlags:)`, …).
public enum IOMMUTest {
  /// `IOMMU_VIOMMU_TYPE_SELFTEST`.
  public static let viommuType: UInt32 = 0xdead_beef
  /// `IOMMU_HW_QUEUE_TYPE_SELFTEST`.
  public static let hwQueueType: UInt32 = 0xdead_beef
  /// `IOMMU_VEVENTQ_TYPE_SELFTEST`: events are `struct iommu_viommu_event_selftest { __u32 virt_id; }`.
  public static let veventqType: UInt32 = 0xbeef_beef
  /// `IOMMU_HW_INFO_TYPE_SELFTEST`.
  public static let hwInfoType: UInt32 = 0xfeed_beef
  /// `IOMMU_HW_INFO_SELFTEST_REGVAL`: `struct iommu_test_hw_info.test_reg`.
  public static let hwInfoRegisterValue: UInt32 = 0xdead_beef
  /// `IOMMU_HWPT_DATA_SELFTEST`: `struct iommu_hwpt_selftest { __u32 iotlb; }`.
  public static let hwptDataType: UInt32 = HWPTUserData.typeSelftest
  /// `IOMMU_HWPT_INVALIDATE_DATA_SELFTEST`: entries are
  /// `struct iommu_hwpt_invalidate_selftest { __u32 flags; __u32 iotlb_id; }`.
  public static let hwptInvalidateDataType: UInt32 = 0xdead_beef
  /// `IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID`.
  public static let hwptInvalidateDataTypeInvalid: UInt32 = 0xdadb_eef
  /// `IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST`: entries are
  /// `struct iommu_viommu_invalidate_selftest { __u32 flags; __u32 vdev_id; __u32 cache_id; }`.
  public static let viommuInvalidateDataType: UInt32 = 0xdead_beef
  /// `IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST_INVALID`.
  public static let viommuInvalidateDataTypeInvalid: UInt32 = 0xdadb_eef
  /// `IOMMU_TEST_INVALIDATE_FLAG_ALL`.
  public static let invalidateFlagAll: UInt32 = 1 << 0
  /// `IOMMU_TEST_IOTLB_DEFAULT`.
  public static let iotlbDefault: UInt32 = 0xbad_beef
  /// `IOMMU_TEST_DEV_CACHE_DEFAULT`.
  public static let devCacheDefault: UInt32 = 0xbad_dad
  /// `MOCK_NESTED_DOMAIN_IOTLB_NUM` (ids 0...`MOCK_NESTED_DOMAIN_IOTLB_ID_MAX` = 3).
  public static let nestedIOTLBCount = 4
  /// `MOCK_DEV_CACHE_NUM` (ids 0...`MOCK_DEV_CACHE_ID_MAX` = 3).
  public static let deviceCacheCount = 4
  /// `IOMMU_TEST_HW_QUEUE_MAX`.
  public static let hwQueueMax: UInt32 = 2
  /// `MOCK_APERTURE_START`.
  public static let apertureStart: UInt64 = 1 << 24
  /// `MOCK_APERTURE_LAST`.
  public static let apertureLast: UInt64 = (1 << 31) - 1
  /// The default of `SET_TEMP_MEMORY_LIMIT` (`iommufd_test_memory_limit`)
  /// and what the selftests set it to.
  public static let defaultMemoryLimit: UInt32 = 65536

  /// `MOCK_FLAGS_DEVICE_*`: the `dev_flags` of `IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS`.
  public struct DeviceFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// `MOCK_FLAGS_DEVICE_NO_DIRTY`: no `IOMMU_CAP_DIRTY_TRACKING`.
    public static let noDirty = DeviceFlags(rawValue: 1 << 0)
    /// `MOCK_FLAGS_DEVICE_HUGE_IOVA`.
    public static let hugeIOVA = DeviceFlags(rawValue: 1 << 1)
    /// `MOCK_FLAGS_DEVICE_PASID`.
    public static let pasid = DeviceFlags(rawValue: 1 << 2)
    /// `valid_flags` of `mock_dev_create`.
    public static let valid: DeviceFlags = [.noDirty, .hugeIOVA, .pasid]
  }

  /// `enum { IOMMU_TEST_OP_* }`: the `op` of `struct iommu_test_cmd`. The
  /// ops this model implements are methods of ``IOMMUFDContext`` named
  /// `test…` (see Docs/Driver.md, "Selftest mock driver").
  public enum Op: UInt32, CaseIterable, Sendable {
    case addReserved = 1
    case mockDomain = 2
    case mdCheckMap = 3
    case mdCheckRefs = 4
    case createAccess = 5
    case destroyAccessPages = 6
    case accessPages = 7
    case accessRW = 8
    case setTempMemoryLimit = 9
    case mockDomainReplace = 10
    case accessReplaceIOAS = 11
    case mockDomainFlags = 12
    case dirty = 13
    case mdCheckIOTLB = 14
    case triggerIOPF = 15
    case devCheckCache = 16
    case triggerVEvent = 17
    case pasidAttach = 18
    case pasidReplace = 19
    case pasidDetach = 20
    case pasidCheckHWPT = 21
  }
}
