/// `struct iommu_user_data_array` (include/linux/iommu.h, v6.17): the entry
/// array `IOMMU_HWPT_INVALIDATE` hands to a driver's `cache_invalidate` (vIOMMU)
/// or `cache_invalidate_user` (nested domain).
///
/// ``bytes`` stands for the user memory at `data_uptr`: `nil` is a NULL
/// `data_uptr`, and reading past its end is a fault (`EFAULT`), as
/// `copy_from_user` on unmapped memory would be. A driver reads the entries only
/// through the kernel's copy helpers (``copyFullArray(entrySize:type:)``,
/// ``copyEntry(_:size:minSize:type:)``), which apply the kernel's checks in the
/// kernel's order, and must set ``entryNum`` to the number of entries it
/// handled, on success and on failure (the core writes it back to the user
/// whatever the driver returns).
public struct UserDataArray: Hashable, Sendable {
  /// `type` (the uAPI's `data_type`, `enum iommu_hwpt_invalidate_data_type`
  /// or a driver's own value).
  public let type: UInt32
  /// `entry_len`: the user's fixed width of one entry, in bytes.
  public let entryLength: UInt32
  /// `entry_num`: on entry the user's count; the driver overwrites it with
  /// the number of entries it handled.
  public var entryNum: UInt32
  /// The user memory at `data_uptr` (`nil` for a NULL pointer).
  public let bytes: [UInt8]?

  public init(type: UInt32, entryLength: UInt32, entryNum: UInt32, bytes: [UInt8]?) {
    self.type = type
    self.entryLength = entryLength
    self.entryNum = entryNum
    self.bytes = bytes
  }

  /// `IOMMU_HWPT_INVALIDATE_DATA_VTD_S1` (uapi iommufd.h, v6.17).
  public static let typeVTDS1: UInt32 = 0
  /// `IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3` (uapi iommufd.h, v6.17): an
  /// entry is `struct iommu_viommu_arm_smmuv3_invalidate { __le64 cmd[2]; }`.
  public static let typeARMSMMUv3: UInt32 = 1

  /// `KMALLOC_MAX_SIZE` on arm64 with 4 KiB pages: `PAGE_SIZE <<
  /// MAX_PAGE_ORDER` = 4 MiB. A larger `kcalloc` fails (`ENOMEM`); it is the
  /// only cap on `entry_num` in v6.17 (the core has none).
  public static let kmallocMaxSize = 4 << 20

  /// `kcalloc(entry_num, entrySize, GFP_KERNEL)` as a driver does before
  /// copying: `ENOMEM` when the array would exceed ``kmallocMaxSize``.
  /// `entry_num` 0 succeeds (`ZERO_SIZE_PTR`).
  public func kcalloc(entrySize: Int) throws(Errno) {
    precondition(entrySize > 0, "a kernel entry has a size")
    if Int(entryNum) > Self.kmallocMaxSize / entrySize {
      throw Errno.enomem(
        "kcalloc(\(entryNum), \(entrySize)): \(UInt64(entryNum) * UInt64(entrySize)) bytes > KMALLOC_MAX_SIZE \(Self.kmallocMaxSize)")
    }
  }

  /// `iommu_copy_struct_from_full_user_array(kdst, entrySize, array, type)`
  /// (include/linux/iommu.h, v6.17), checked in this order:
  /// 1. `type` is not the array's `data_type` → `EINVAL`;
  /// 2. `entry_num == 0` → `EINVAL`;
  /// 3. `entry_len == entrySize`: one bulk copy of the whole array → `EFAULT`
  ///    if it does not fit in the user memory;
  /// 4. item by item, `copy_struct_from_user(kdst + entrySize*i, entrySize,
  ///    uptr + entry_len*i, entry_len)`: a shorter entry is zero-filled (there
  ///    is no minimum, `entry_len` 1 is accepted); a longer one must have an
  ///    all-zero tail → `E2BIG`; a fault → `EFAULT`.
  /// Returns `entry_num` kernel entries of `entrySize` bytes each.
  public func copyFullArray(entrySize: Int, type expected: UInt32) throws(Errno) -> [[UInt8]] {
    precondition(entrySize > 0, "a kernel entry has a size")
    guard type == expected else {
      throw Errno.einval("iommu_copy_struct_from_full_user_array: data_type 0x\(hex(UInt64(type))) != 0x\(hex(UInt64(expected)))")
    }
    guard entryNum != 0 else { throw Errno.einval("iommu_copy_struct_from_full_user_array: entry_num is 0") }
    let length = Int(entryLength)
    if length == entrySize {
      let total = Int(entryNum) * length
      guard let bytes, bytes.count >= total else {
        throw Errno.efault(
          "iommu_copy_struct_from_full_user_array: copy_from_user of \(total) bytes faults after \(bytes?.count ?? 0)")
      }
    }
    var entries: [[UInt8]] = []
    // Bounded by what the user memory can hold, not by entry_num.
    entries.reserveCapacity(min(Int(entryNum), (bytes?.count ?? 0) / max(1, length) + 1))
    for i in 0..<Int(entryNum) {
      entries.append(try copyStructFromUser(at: i * length, userSize: length, kernelSize: entrySize, index: i))
    }
    return entries
  }

  /// `iommu_copy_struct_from_user_array(kdst, array, type, index, min_last)`
  /// (include/linux/iommu.h, v6.17): one entry, checked in this order:
  /// 1. `index >= entry_num` (WARN) → `EINVAL`;
  /// 2. `entry_num == 0` → `EINVAL`;
  /// 3. `__iommu_copy_struct_from_user`: `type` mismatch → `EINVAL`;
  ///    `entry_len < minSize` or `entry_len > size` → `EINVAL` (a longer
  ///    entry is `EINVAL` here, not `E2BIG`);
  /// 4. `copy_struct_from_user` → `EFAULT` (a shorter entry is zero-filled).
  public func copyEntry(_ index: UInt32, size: Int, minSize: Int, type expected: UInt32) throws(Errno) -> [UInt8] {
    precondition(size > 0 && minSize <= size, "0 < min_len <= sizeof(struct)")
    guard index < entryNum else {
      throw Errno.einval("iommu_copy_struct_from_user_array: index \(index) >= entry_num \(entryNum) (WARN)")
    }
    guard entryNum != 0 else { throw Errno.einval("iommu_copy_struct_from_user_array: entry_num is 0") }
    guard type == expected else {
      throw Errno.einval("__iommu_copy_struct_from_user: data_type 0x\(hex(UInt64(type))) != 0x\(hex(UInt64(expected)))")
    }
    let length = Int(entryLength)
    guard length >= minSize && length <= size else {
      throw Errno.einval("__iommu_copy_struct_from_user: entry_len \(length) outside [\(minSize), \(size)]")
    }
    return try copyStructFromUser(at: Int(index) * length, userSize: length, kernelSize: size, index: Int(index))
  }

  /// `copy_struct_from_user(dst, ksize, src, usize)` (include/linux/uaccess.h):
  /// the tail check of a longer user struct comes before the copy.
  func copyStructFromUser(at offset: Int, userSize: Int, kernelSize: Int, index: Int) throws(Errno) -> [UInt8] {
    let available = bytes.map { max(0, $0.count - offset) } ?? 0
    let common = min(userSize, kernelSize)
    if userSize > kernelSize {
      // check_zeroed_user: a non-zero byte before the fault wins (E2BIG).
      let present = min(available, userSize) - min(available, kernelSize)
      if present > 0, let bytes, bytes[(offset + kernelSize)..<(offset + kernelSize + present)].contains(where: { $0 != 0 }) {
        throw Errno.e2big("copy_struct_from_user: entry \(index) has non-zero bytes past the kernel's \(kernelSize)")
      }
      guard available >= userSize else {
        throw Errno.efault("copy_struct_from_user: entry \(index) tail faults at user offset \(offset + kernelSize + present)")
      }
    }
    guard let bytes, available >= common else {
      throw Errno.efault("copy_struct_from_user: entry \(index) (\(common) bytes at user offset \(offset)) faults")
    }
    var entry = Array(bytes[offset..<(offset + common)])
    if common < kernelSize { entry.append(contentsOf: repeatElement(0, count: kernelSize - common)) }
    return entry
  }
}
