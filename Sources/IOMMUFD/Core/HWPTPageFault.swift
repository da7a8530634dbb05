/// `struct iommu_hwpt_pgfault` (include/uapi/linux/iommufd.h, v6.17): one
/// 40-byte record read from a fault queue's fd.
public struct HWPTPageFault: Hashable, Sendable {
  /// `sizeof(struct iommu_hwpt_pgfault)`.
  public static let size = 40
  /// `IOMMU_PGFAULT_FLAGS_PASID_VALID`.
  public static let flagPASIDValid: UInt32 = 1 << 0
  /// `IOMMU_PGFAULT_FLAGS_LAST_PAGE`.
  public static let flagLastPage: UInt32 = 1 << 1
  /// `IOMMU_PGFAULT_PERM_READ`, `_WRITE`, `_EXEC`, `_PRIV`.
  public static let permRead: UInt32 = 1 << 0
  public static let permWrite: UInt32 = 1 << 1
  public static let permExec: UInt32 = 1 << 2
  public static let permPriv: UInt32 = 1 << 3

  public var flags: UInt32
  /// The device's object ID.
  public var devID: UInt32
  public var pasid: UInt32
  public var grpid: UInt32
  public var perm: UInt32
  public var addr: UInt64
  /// Always 0 in v6.17.
  public var length: UInt32
  /// The group's response cookie.
  public var cookie: UInt32

  public init(
    flags: UInt32, devID: UInt32, pasid: UInt32, grpid: UInt32, perm: UInt32, addr: UInt64, length: UInt32 = 0,
    cookie: UInt32 = 0
  ) {
    self.flags = flags
    self.devID = devID
    self.pasid = pasid
    self.grpid = grpid
    self.perm = perm
    self.addr = addr
    self.length = length
    self.cookie = cookie
  }

  /// The little-endian record (`__reserved` at offset 20 is 0).
  public var bytes: [UInt8] {
    func le(_ value: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) } }
    return le(UInt64(flags), 4) + le(UInt64(devID), 4) + le(UInt64(pasid), 4) + le(UInt64(grpid), 4)
      + le(UInt64(perm), 4) + le(0, 4) + le(addr, 8) + le(UInt64(length), 4) + le(UInt64(cookie), 4)
  }

  /// Decodes consecutive 40-byte records (a trailing partial record is
  /// ignored).
  public static func records(in bytes: [UInt8]) -> [HWPTPageFault] {
    stride(from: 0, to: bytes.count - size + 1, by: size).map { base in
      func field(_ offset: Int, _ width: Int) -> UInt64 {
        (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[base + offset + $1]) << UInt64(8 * $1) }
      }
      return HWPTPageFault(
        flags: UInt32(field(0, 4)), devID: UInt32(field(4, 4)), pasid: UInt32(field(8, 4)),
        grpid: UInt32(field(12, 4)), perm: UInt32(field(16, 4)), addr: field(24, 8), length: UInt32(field(32, 4)),
        cookie: UInt32(field(36, 4)))
    }
  }
}
