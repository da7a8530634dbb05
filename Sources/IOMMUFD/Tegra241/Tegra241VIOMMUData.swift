/// `struct iommu_viommu_tegra241_cmdqv { __aligned_u64 out_vintf_mmap_offset;
/// __aligned_u64 out_vintf_mmap_length; }` (include/uapi/linux/iommufd.h,
/// v6.17): the `IOMMU_VIOMMU_ALLOC` data of a TEGRA241_CMDQV vIOMMU. Pass
/// `Tegra241VIOMMUData().bytes` (16 zero bytes) in; read the VINTF's page0
/// mmap offset and length back.
public struct Tegra241VIOMMUData: VIOMMUUserData, Hashable, Sendable {
  public static var viommuType: UInt32 { Tegra241IOMMUDriver.viommuTypeTegra241CMDQV }
  /// `sizeof(struct iommu_viommu_tegra241_cmdqv)`.
  public static let size = 16

  /// `out_vintf_mmap_offset`: the offset to `mmap()` the VINTF's page0 at.
  public var vintfMMapOffset: UInt64
  /// `out_vintf_mmap_length`: 0x10000.
  public var vintfMMapLength: UInt64

  public init(vintfMMapOffset: UInt64 = 0, vintfMMapLength: UInt64 = 0) {
    self.vintfMMapOffset = vintfMMapOffset
    self.vintfMMapLength = vintfMMapLength
  }

  public init?(bytes: [UInt8]) {
    guard bytes.count == Self.size else { return nil }
    func le64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << UInt64(8 * $1) } }
    self.init(vintfMMapOffset: le64(0), vintfMMapLength: le64(8))
  }

  public var bytes: [UInt8] {
    [vintfMMapOffset, vintfMMapLength].flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v >> UInt64(8 * $0)) } }
  }
}

extension VIOMMUAllocation {
  /// ``data`` as `struct iommu_viommu_tegra241_cmdqv`, for a TEGRA241_CMDQV
  /// vIOMMU.
  public var tegra241: Tegra241VIOMMUData? { userData(as: Tegra241VIOMMUData.self) }
}
