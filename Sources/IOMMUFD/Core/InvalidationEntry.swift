import CMDQVRegisters

/// A typed `IOMMU_HWPT_INVALIDATE` entry: the uAPI struct a `data_type`
/// names, with its byte encoding. ``IOMMUFDContext/invalidate(hwpt:entries:entryNum:)``
/// encodes an array of them (`entry_len` = ``invalidationEntryLength``) and
/// runs the byte-level ioctl, so a driver's own entry type (the selftest
/// mock's `struct iommu_viommu_invalidate_selftest`, say) plugs in by
/// conforming, without touching the core.
public protocol InvalidationEntry {
  /// The `data_type` of an array of these entries.
  static var invalidationDataType: UInt32 { get }
  /// `sizeof` the uAPI struct: the `entry_len` the typed form passes.
  static var invalidationEntryLength: Int { get }
  /// The entry as the user lays it out (``invalidationEntryLength`` bytes,
  /// little-endian).
  var invalidationBytes: [UInt8] { get }
}

/// `struct iommu_viommu_arm_smmuv3_invalidate { __le64 cmd[2]; }`
/// (`IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3`, uapi iommufd.h, v6.17).
extension SMMUCommand: InvalidationEntry {
  public static var invalidationDataType: UInt32 { UserDataArray.typeARMSMMUv3 }
  public static var invalidationEntryLength: Int { 16 }
  public var invalidationBytes: [UInt8] { bytes }
}
