import CMDQVRegisters

extension IOMMUFDContext {
  /// `IOMMU_HWPT_INVALIDATE` with `hwpt_id` a vIOMMU
  /// (`iommufd_hwpt_invalidate`): returns the `entry_num` written back.
  /// 1. bad ID → `ENOENT` (entry_num 0);
  /// 2. the object is a HWPT_NESTED → `EOPNOTSUPP` (nested-domain
  ///    invalidation is not modelled);
  /// 3. the object is neither a vIOMMU nor a nested HWPT → `EINVAL`;
  /// 4. the vIOMMU has no `cache_invalidate` → `EOPNOTSUPP`;
  /// 5. the driver's `cache_invalidate` runs with `entry_num` preset to
  ///    `commands.count`; whatever it leaves there is reported, on success as
  ///    the return value, on failure in ``InvalidationError/handledCount``.
  @discardableResult
  public func invalidate(viommu id: UInt32, commands: [SMMUCommand]) throws(InvalidationError) -> Int {
    let object: IOMMUFDObject
    do {
      object = try lookup(id, nil, "IOMMU_HWPT_INVALIDATE")
    } catch {
      throw InvalidationError(errno: error, handledCount: 0)
    }
    if object is HWPTNested {
      throw InvalidationError(
        errno: Errno.eopnotsupp("IOMMU_HWPT_INVALIDATE: nested HWPT invalidation is not modelled"), handledCount: 0)
    }
    guard let viommu = object as? VIOMMU else {
      throw InvalidationError(
        errno: Errno.einval("IOMMU_HWPT_INVALIDATE: \(object.label) is not a vIOMMU or nested HWPT"), handledCount: 0)
    }
    guard let ops = viommu.ops, ops.supportsCacheInvalidate else {
      throw InvalidationError(
        errno: Errno.eopnotsupp("IOMMU_HWPT_INVALIDATE: vIOMMU \(id) has no cache_invalidate"), handledCount: 0)
    }
    lockObject(viommu)
    defer { putObject(viommu) }
    var handled = commands.count
    do {
      try ops.cacheInvalidate(viommu, commands: commands, handled: &handled)
    } catch {
      throw InvalidationError(errno: error, handledCount: handled)
    }
    return handled
  }
}
