import CMDQVRegisters

extension IOMMUFDContext {
  /// `IOMMU_HWPT_INVALIDATE` (`iommufd_hwpt_invalidate`, hw_pagetable.c,
  /// v6.17) with `hwpt_id` as the uAPI names it, throwing `Errno` like every
  /// other call. `entryNum` receives the `entry_num` the kernel writes back,
  /// on success and on failure (0 for the core's early exits).
  /// 1. bad ID → `ENOENT`;
  /// 2. the object is a HWPT_NESTED: the SMMUv3 nested domain has no
  ///    `cache_invalidate_user` → `EOPNOTSUPP` (invalidate through the
  ///    vIOMMU);
  /// 3. the object is neither a vIOMMU nor a nested HWPT → `EINVAL`;
  /// 4. the vIOMMU has no `cache_invalidate` → `EOPNOTSUPP`;
  /// 5. the driver's `cache_invalidate` runs with `entry_num` preset to
  ///    `commands.count`; whatever it leaves there is written back.
  public func invalidate(hwpt id: UInt32, commands: [SMMUCommand], entryNum: inout Int) throws(Errno) {
    entryNum = 0
    let object = try lookup(id, nil, "IOMMU_HWPT_INVALIDATE")
    if object is HWPTNested {
      throw Errno.eopnotsupp("IOMMU_HWPT_INVALIDATE: \(object.label): the nested domain has no cache_invalidate_user")
    }
    guard let viommu = object as? VIOMMU else {
      throw Errno.einval("IOMMU_HWPT_INVALIDATE: \(object.label) is not a vIOMMU or nested HWPT")
    }
    guard let ops = viommu.ops, ops.supportsCacheInvalidate else {
      throw Errno.eopnotsupp("IOMMU_HWPT_INVALIDATE: vIOMMU \(id) has no cache_invalidate")
    }
    lockObject(viommu)
    defer { putObject(viommu) }
    var handled = commands.count
    defer { entryNum = handled }
    try ops.cacheInvalidate(viommu, commands: commands, handled: &handled)
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
