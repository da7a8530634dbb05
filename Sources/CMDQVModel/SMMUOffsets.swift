/// SMMUv3 register offsets (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h, v6.17).
enum SMMUOffsets {
  static let idr1 = 0x04
  static let cr0 = 0x20
  static let cr0ack = 0x24
  static let gerror = 0x60
  static let gerrorn = 0x64
  static let cmdqBase = 0x90
  static let cmdqProd = 0x98
  static let cmdqCons = 0x9C
  /// SMMU page 0 and page 1.
  static let apertureSize = 0x20000
  static let cr0CMDQEN: UInt32 = 1 << 3
}
