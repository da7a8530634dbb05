import CMDQVRegisters

extension IOMMUFDContext {
  /// `IOMMU_HWPT_INVALIDATE` as the uAPI passes it (`struct
  /// iommu_hwpt_invalidate`; `iommufd_hwpt_invalidate`, hw_pagetable.c,
  /// v6.17). `data` is the user memory at `data_uptr` (`nil` for a NULL
  /// pointer); `entryNum` is `entry_num` in, and the `entry_num` the kernel
  /// writes back out, on success and on failure. Checked in this order:
  /// 1. `__reserved != 0` → `EOPNOTSUPP`;
  /// 2. `entry_num != 0` with no data or `entry_len == 0` → `EINVAL`;
  /// 3. `hwpt_id` names no object → `ENOENT`;
  /// 4. a HWPT_NESTED: its domain has no `cache_invalidate_user` →
  ///    `EOPNOTSUPP` (so on SMMUv3 a VMM invalidates through the vIOMMU);
  ///    otherwise the domain's ``NestedDomain/cacheInvalidateUser(_:array:)``;
  /// 5. a vIOMMU: no `cache_invalidate` → `EOPNOTSUPP`; otherwise
  ///    ``VIOMMUOps/cacheInvalidate(_:array:)``;
  /// 6. anything else (HWPT_PAGING, IOAS, DEVICE, …) → `EINVAL`.
  ///
  /// The core checks neither `data_type` nor `entry_len` against a struct and
  /// caps nothing: the driver does, through ``UserDataArray``'s copy helpers.
  /// The early exits (rows 1–6) write back 0; after the driver ran, whatever
  /// it left in `entry_num` is written back, whether it threw or not.
  public func invalidate(
    hwpt id: UInt32, dataType: UInt32, entryLength: UInt32, entryNum: inout UInt32, data: [UInt8]?,
    reserved: UInt32 = 0
  ) throws(Errno) {
    var array = UserDataArray(type: dataType, entryLength: entryLength, entryNum: entryNum, bytes: data)
    entryNum = 0
    guard reserved == 0 else {
      throw Errno.eopnotsupp("IOMMU_HWPT_INVALIDATE: __reserved 0x\(hex(UInt64(reserved))) != 0")
    }
    if array.entryNum != 0 && (data == nil || entryLength == 0) {
      throw Errno.einval(
        "IOMMU_HWPT_INVALIDATE: entry_num \(array.entryNum) with \(data == nil ? "data_uptr NULL" : "entry_len 0")")
    }
    let object = try lookup(id, nil, "IOMMU_HWPT_INVALIDATE")
    lockObject(object)
    defer { putObject(object) }
    switch object {
    case let nested as HWPTNested:
      guard let domain = nested.domain, domain.supportsCacheInvalidateUser else {
        throw Errno.eopnotsupp("IOMMU_HWPT_INVALIDATE: \(object.label): the nested domain has no cache_invalidate_user")
      }
      defer { entryNum = array.entryNum }
      try domain.cacheInvalidateUser(nested, array: &array)
    case let viommu as VIOMMU:
      guard let ops = viommu.ops, ops.supportsCacheInvalidate else {
        throw Errno.eopnotsupp("IOMMU_HWPT_INVALIDATE: vIOMMU \(id) has no cache_invalidate")
      }
      defer { entryNum = array.entryNum }
      try ops.cacheInvalidate(viommu, array: &array)
    default:
      throw Errno.einval("IOMMU_HWPT_INVALIDATE: \(object.label) is not a vIOMMU or nested HWPT")
    }
  }

  /// The typed convenience over
  /// ``invalidate(hwpt:dataType:entryLength:entryNum:data:reserved:)``: the
  /// entries are encoded back to back with `data_type` =
  /// `Entry.invalidationDataType` and `entry_len` =
  /// `Entry.invalidationEntryLength`. `entryNum` receives the `entry_num`
  /// written back. An empty array passes `entry_num` 0 (with a non-NULL
  /// pointer), which SMMUv3 refuses with `EINVAL` and the selftest mock
  /// accepts as a type probe.
  public func invalidate<Entry: InvalidationEntry>(hwpt id: UInt32, entries: [Entry], entryNum: inout Int) throws(Errno) {
    let length = Entry.invalidationEntryLength
    var bytes: [UInt8] = []
    bytes.reserveCapacity(entries.count * length)
    for entry in entries {
      let encoded = entry.invalidationBytes
      precondition(encoded.count == length, "\(Entry.self).invalidationBytes is \(encoded.count) bytes, not \(length)")
      bytes += encoded
    }
    precondition(entries.count <= Int(UInt32.max), "entry_num is a __u32")
    var num = UInt32(entries.count)
    defer { entryNum = Int(num) }
    try invalidate(
      hwpt: id, dataType: Entry.invalidationDataType, entryLength: UInt32(length), entryNum: &num, data: bytes)
  }

  /// ``invalidate(hwpt:entries:entryNum:)`` with SMMUv3 commands
  /// (`IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3`, 16-byte entries).
  public func invalidate(hwpt id: UInt32, commands: [SMMUCommand], entryNum: inout Int) throws(Errno) {
    try invalidate(hwpt: id, entries: commands, entryNum: &entryNum)
  }

  /// The earlier spelling of ``invalidate(hwpt:commands:entryNum:)``: returns
  /// `entry_num`, and throws `InvalidationError` (the errno plus `entry_num`).
  @discardableResult
  public func invalidate(viommu id: UInt32, commands: [SMMUCommand]) throws(InvalidationError) -> Int {
    var entryNum = 0
    do {
      try invalidate(hwpt: id, commands: commands, entryNum: &entryNum)
    } catch {
      throw InvalidationError(errno: error, handledCount: entryNum)
    }
    return entryNum
  }
}
