/// The result of ``IOMMUFDContext/allocVIOMMU(device:hwpt:type:data:flags:)``:
/// `out_viommu_id` plus the driver's output.
public struct VIOMMUAllocation: Hashable, Sendable {
  /// `out_viommu_id`.
  public var id: UInt32
  /// The driver's mmap offset (Tegra: `out_vintf_mmap_offset`).
  public var mmapOffset: UInt64?
  /// The driver's mmap length (Tegra: `out_vintf_mmap_length`).
  public var mmapLength: UInt64?
  /// Other driver output bytes.
  public var data: [UInt8]
}
