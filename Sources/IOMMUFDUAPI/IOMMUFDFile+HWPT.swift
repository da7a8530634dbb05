import CCMDQV
import CMDQVRegisters
import IOMMUFD

extension IOMMUFDFile {
  /// The largest driver data blob the byte layer copies in (`data_len` of
  /// HWPT_ALLOC and VIOMMU_ALLOC). Every driver struct is far smaller
  /// (16 bytes for arm-smmu-v3 and Tegra241), and each driver refuses a
  /// longer one with `EINVAL`; the bound keeps a hostile `data_len` from
  /// allocating gigabytes first.
  public static let maxDriverDataLength: UInt32 = 4096

  /// Reads `data_len` bytes of driver data at `data_uptr` (`EFAULT` if not
  /// mapped, `EINVAL` above ``maxDriverDataLength``).
  func driverData(_ uptr: UInt64, _ length: UInt32, _ what: String) throws(Errno) -> [UInt8] {
    guard length <= Self.maxDriverDataLength else {
      throw Errno.einval("\(what): data_len \(length) exceeds any driver's struct")
    }
    return try UserPointer.read(uptr, count: Int(length), "\(what): data_uptr")
  }

  /// `IOMMU_HWPT_ALLOC` (`iommufd_hwpt_alloc`, hw_pagetable.c, v6.17):
  /// `__reserved` → `EOPNOTSUPP`, then
  /// ``IOMMUFDContext/allocHWPT(device:pt:flags:data:faultID:)``
  /// (`__reserved2` is not checked, as in the kernel).
  func hwptAlloc(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_hwpt_alloc.self)
    guard cmd.__reserved == 0 else { throw Errno.eopnotsupp("IOMMU_HWPT_ALLOC: __reserved is not 0") }
    guard (cmd.data_type == 0) == (cmd.data_len == 0) else {
      throw Errno.einval(
        "IOMMU_HWPT_ALLOC: data_type \(cmd.data_type) with data_len \(cmd.data_len) (NONE needs 0, any other type > 0)")
    }
    var data: HWPTUserData?
    if cmd.data_type != 0 {
      let bytes = cmd.data_len == 0 ? [] : try driverData(cmd.data_uptr, cmd.data_len, "IOMMU_HWPT_ALLOC")
      data = HWPTUserData(type: cmd.data_type, bytes: bytes)
    }
    cmd.out_hwpt_id = try context.allocHWPT(
      device: cmd.dev_id, pt: cmd.pt_id, flags: HWPTAllocFlags(rawValue: cmd.flags), data: data, faultID: cmd.fault_id)
    try ucmd.respond(cmd)
  }

  /// `IOMMU_GET_HW_INFO` (`iommufd_get_hw_info`, device.c, v6.17):
  /// `flags` other than INPUT_TYPE or any `__reserved` byte → `EOPNOTSUPP`;
  /// without INPUT_TYPE the type asked for is DEFAULT; then the driver's
  /// `hw_info`. `min(data_len, length)` bytes are copied to `data_uptr`
  /// and the rest of the user's buffer is zeroed; `data_len` is written back
  /// with the driver's length, with `out_data_type` and `out_capabilities`.
  func getHWInfo(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_hw_info.self)
    guard cmd.flags & ~1 == 0 else { throw Errno.eopnotsupp("IOMMU_GET_HW_INFO: flags 0x\(String(cmd.flags, radix: 16))") }
    guard cmd.__reserved.0 == 0, cmd.__reserved.1 == 0, cmd.__reserved.2 == 0 else {
      throw Errno.eopnotsupp("IOMMU_GET_HW_INFO: __reserved is not 0")
    }
    let type = cmd.flags & 1 == 0 ? 0 : cmd.in_data_type
    let info = try context.getHWInfo(device: cmd.dev_id, type: type)
    let copied = min(Int(cmd.data_len), info.data.count)
    if cmd.data_len > 0 {
      try UserPointer.write(Array(info.data.prefix(copied)), to: cmd.data_uptr, "IOMMU_GET_HW_INFO")
      try UserPointer.clear(cmd.data_uptr + UInt64(copied), count: Int(cmd.data_len) - copied, "IOMMU_GET_HW_INFO")
    }
    cmd.data_len = UInt32(info.data.count)
    cmd.out_data_type = info.type
    cmd.out_capabilities = info.capabilities
    cmd.out_max_pasid_log2 = 0
    try ucmd.respond(cmd)
  }

  /// The most bytes of an invalidation array the byte layer reads from the
  /// caller (`entry_len * entry_num`); entries past it read as a fault
  /// (`EFAULT`). No driver gets that far: `kcalloc(entry_num, sizeof)`
  /// fails above 4 MiB of kernel entries first (`ENOMEM`).
  public static let maxInvalidationBytes = 64 << 20

  /// `IOMMU_HWPT_INVALIDATE` (`iommufd_hwpt_invalidate`, hw_pagetable.c,
  /// v6.17): ``IOMMUFDContext/invalidate(hwpt:dataType:entryLength:entryNum:data:reserved:)``
  /// with the caller's memory at `data_uptr` (the readable part of
  /// `entry_len * entry_num` bytes, at most ``maxInvalidationBytes``; a
  /// NULL `data_uptr` is no memory at all). The core and the driver check
  /// everything in the kernel's order; `entry_num` is written back whatever
  /// the outcome.
  func hwptInvalidate(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_hwpt_invalidate.self)
    var entryNum = cmd.entry_num
    var data: [UInt8]?
    if cmd.data_uptr != 0 {
      let wanted = min(UInt64(cmd.entry_len) * UInt64(cmd.entry_num), UInt64(Self.maxInvalidationBytes))
      data = UserPointer.readPrefix(cmd.data_uptr, count: Int(wanted))
    }
    var failure: Errno?
    do {
      try context.invalidate(
        hwpt: cmd.hwpt_id, dataType: cmd.data_type, entryLength: cmd.entry_len, entryNum: &entryNum, data: data,
        reserved: cmd.__reserved)
    } catch {
      failure = error
    }
    // entry_num goes back on every path; a failed copy overrides rc (EFAULT).
    cmd.entry_num = entryNum
    try ucmd.respond(cmd)
    if let failure { throw failure }
  }
}
