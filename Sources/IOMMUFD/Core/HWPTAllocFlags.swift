/// `enum iommufd_hwpt_alloc_flags` (include/uapi/linux/iommufd.h, v6.17): the
/// `flags` of `IOMMU_HWPT_ALLOC`, as the uAPI's bit values.
public struct HWPTAllocFlags: OptionSet, Hashable, Sendable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// `IOMMU_HWPT_ALLOC_NEST_PARENT`.
  public static let nestParent = HWPTAllocFlags(rawValue: 1 << 0)
  /// `IOMMU_HWPT_ALLOC_DIRTY_TRACKING`.
  public static let dirtyTracking = HWPTAllocFlags(rawValue: 1 << 1)
  /// `IOMMU_HWPT_FAULT_ID_VALID`: `fault_id` names a FAULT object.
  public static let faultIDValid = HWPTAllocFlags(rawValue: 1 << 2)
  /// `IOMMU_HWPT_ALLOC_PASID`.
  public static let pasid = HWPTAllocFlags(rawValue: 1 << 3)

  /// Every flag the v6.17 core knows (`iommufd_hwpt_paging_alloc`'s
  /// `valid_flags`).
  public static let known: HWPTAllocFlags = [.nestParent, .dirtyTracking, .faultIDValid, .pasid]
}
