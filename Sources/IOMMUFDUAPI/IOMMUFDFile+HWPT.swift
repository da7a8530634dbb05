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
    ucmd.respond(cmd)
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
      guard UserPointer.isMapped(cmd.data_uptr, count: Int(cmd.data_len)) else {
        throw Errno.efault("IOMMU_GET_HW_INFO: data_uptr +\(cmd.data_len) is not mapped")
      }
      try UserPointer.write(Array(info.data.prefix(copied)), to: cmd.data_uptr, "IOMMU_GET_HW_INFO")
      try UserPointer.clear(cmd.data_uptr + UInt64(copied), count: Int(cmd.data_len) - copied, "IOMMU_GET_HW_INFO")
    }
    cmd.data_len = UInt32(info.data.count)
    cmd.out_data_type = info.type
    cmd.out_capabilities = info.capabilities
    cmd.out_max_pasid_log2 = 0
    ucmd.respond(cmd)
  }

  /// The most SMMUv3 invalidation entries one call takes: `kcalloc(entry_num,
  /// 16)` fails above KMALLOC_MAX_SIZE (4 MiB with 4 KiB pages) → `ENOMEM`.
  public static let maxInvalidationEntries: UInt32 = (4 << 20) / 16

  /// `IOMMU_HWPT_INVALIDATE` (`iommufd_hwpt_invalidate`, hw_pagetable.c,
  /// v6.17), in the kernel's order:
  /// 1. `__reserved` → `EOPNOTSUPP`;
  /// 2. `entry_num != 0` with `data_uptr == 0` or `entry_len == 0` → `EINVAL`;
  /// 3. the object: missing → `ENOENT`, a nested HWPT → `EOPNOTSUPP`, not a
  ///    vIOMMU → `EINVAL` (``IOMMUFDContext/invalidate(hwpt:commands:entryNum:)``);
  /// 4. the vIOMMU's `cache_invalidate` (`arm_vsmmu_cache_invalidate`,
  ///    arm-smmu-v3-iommufd.c): more than ``maxInvalidationEntries`` →
  ///    `ENOMEM`; then `iommu_copy_struct_from_full_user_array`:
  ///    `data_type` not ARM_SMMUV3 (1) → `EINVAL`; `entry_num == 0` →
  ///    `EINVAL`; each entry is `entry_len` bytes, zero-extended to 16 or,
  ///    when longer, `E2BIG` unless the extra bytes are zero;
  /// 5. `entry_num` is written back whatever the outcome (0 for the early
  ///    exits of 1–3).
  func hwptInvalidate(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_hwpt_invalidate.self)
    let input = cmd
    var entryNum = 0
    defer {
      cmd.entry_num = UInt32(truncatingIfNeeded: entryNum)
      ucmd.respond(cmd)
    }
    guard input.__reserved == 0 else { throw Errno.eopnotsupp("IOMMU_HWPT_INVALIDATE: __reserved is not 0") }
    guard input.entry_num == 0 || (input.data_uptr != 0 && input.entry_len != 0) else {
      throw Errno.einval("IOMMU_HWPT_INVALIDATE: entry_num \(input.entry_num) with data_uptr 0 or entry_len 0")
    }
    guard let viommu = context.object(cmd.hwpt_id) as? VIOMMU, viommu.ops?.supportsCacheInvalidate == true else {
      // The core's lookup and type dispatch decide (ENOENT, EOPNOTSUPP, EINVAL).
      try context.invalidate(hwpt: cmd.hwpt_id, commands: [], entryNum: &entryNum)
      return
    }
    let commands = try fullUserArray(input)
    try context.invalidate(hwpt: cmd.hwpt_id, commands: commands, entryNum: &entryNum)
  }

  /// `iommu_copy_struct_from_full_user_array` for 16-byte SMMUv3 commands.
  func fullUserArray(_ cmd: iommu_hwpt_invalidate) throws(Errno) -> [SMMUCommand] {
    let what = "IOMMU_HWPT_INVALIDATE"
    guard cmd.entry_num <= Self.maxInvalidationEntries else {
      throw Errno.enomem("\(what): kcalloc of \(cmd.entry_num) 16-byte commands exceeds KMALLOC_MAX_SIZE")
    }
    guard cmd.data_type == 1 else {
      throw Errno.einval("\(what): data_type \(cmd.data_type) is not IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 (1)")
    }
    guard cmd.entry_num != 0 else { throw Errno.einval("\(what): entry_num is 0") }
    let length = Int(cmd.entry_len)
    let total = length * Int(cmd.entry_num)
    guard UserPointer.isMapped(cmd.data_uptr, count: total) else {
      throw Errno.efault("\(what): \(cmd.entry_num) entries of \(length) bytes at data_uptr are not mapped")
    }
    let base = UnsafeRawPointer(bitPattern: UInt(cmd.data_uptr))!
    var commands: [SMMUCommand] = []
    commands.reserveCapacity(Int(cmd.entry_num))
    for i in 0..<Int(cmd.entry_num) {
      let entry = UnsafeRawBufferPointer(start: base + i * length, count: length)
      if length > 16, let extra = entry[16...].firstIndex(where: { $0 != 0 }) {
        throw Errno.e2big("\(what): entry \(i) has non-zero byte \(extra) past the 16-byte command")
      }
      var words = [UInt8](repeating: 0, count: 16)
      for j in 0..<min(16, length) { words[j] = entry[j] }
      let d0 = words.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
      let d1 = words.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
      commands.append(SMMUCommand(dword0: d0, dword1: d1))
    }
    return commands
  }
}
