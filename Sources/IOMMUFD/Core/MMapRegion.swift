/// One entry of the fd's mmap registry (`struct iommufd_mmap` in
/// `ictx->mt_mmap`), registered by a driver with
/// `iommufd_viommu_alloc_mmap`.
public struct MMapRegion: Hashable, Sendable {
  /// The offset user space passes to `mmap()` (never 0).
  public var offset: UInt64
  /// The registered length (page aligned, non-zero).
  public var length: UInt64
  /// The physical MMIO address (`mmio_addr`, page aligned).
  public var physicalAddress: UInt64
  /// The owner's object ID (the vIOMMU).
  public var ownerID: UInt32
}
