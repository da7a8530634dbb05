/// `struct iommu_viommu_selftest` (drivers/iommu/iommufd/iommufd_test.h,
/// v6.17), the driver data of an `IOMMU_VIOMMU_ALLOC` of type
/// ``IOMMUTest/viommuType``: `{ __u32 in_data; __u32 out_data;
/// __aligned_u64 out_mmap_offset; __aligned_u64 out_mmap_length; }`, 24
/// bytes, little-endian. `data_len` must be at least `offsetofend(out_data)`
/// = 8. As a ``VIOMMUUserData`` it decodes any length (a shorter buffer is
/// zero-extended), since the mock accepts 8…24 bytes.
public struct SelftestVIOMMUData: VIOMMUUserData, Hashable, Sendable {
  public static var viommuType: UInt32 { IOMMUTest.viommuType }
  /// `sizeof(struct iommu_viommu_selftest)`.
  public static let size = 24
  /// `offsetofend(struct iommu_viommu_selftest, out_data)`.
  public static let minimumSize = 8

  public var inData: UInt32
  public var outData: UInt32
  public var outMMapOffset: UInt64
  public var outMMapLength: UInt64

  public init(inData: UInt32 = 0, outData: UInt32 = 0, outMMapOffset: UInt64 = 0, outMMapLength: UInt64 = 0) {
    self.inData = inData
    self.outData = outData
    self.outMMapOffset = outMMapOffset
    self.outMMapLength = outMMapLength
  }

  /// Decodes the first 24 bytes (missing bytes read as 0, as
  /// `copy_struct_from_user` zero-fills a shorter user struct).
  public init(bytes: [UInt8]) {
    func field(_ offset: Int, _ width: Int) -> UInt64 {
      var value: UInt64 = 0
      for i in 0..<width where offset + i < bytes.count {
        value |= UInt64(bytes[offset + i]) << UInt64(8 * i)
      }
      return value
    }
    self.init(
      inData: UInt32(field(0, 4)), outData: UInt32(field(4, 4)), outMMapOffset: field(8, 8),
      outMMapLength: field(16, 8))
  }

  /// The 24 little-endian bytes.
  public var bytes: [UInt8] { bytes(length: Self.size) }

  /// The little-endian struct, cut to `length` bytes (the user's
  /// `data_len`; `copy_struct_to_user` writes no more than that).
  public func bytes(length: Int) -> [UInt8] {
    var all: [UInt8] = []
    for (value, width) in [(UInt64(inData), 4), (UInt64(outData), 4), (outMMapOffset, 8), (outMMapLength, 8)] {
      for i in 0..<width { all.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * i))) }
    }
    return Array(all.prefix(max(0, length)))
  }
}

extension VIOMMUAllocation {
  /// ``data`` as `struct iommu_viommu_selftest`, for a selftest vIOMMU.
  public var selftest: SelftestVIOMMUData? { userData(as: SelftestVIOMMUData.self) }
}
