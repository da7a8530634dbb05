/// `struct mock_viommu` and `mock_viommu_ops` (drivers/iommu/iommufd/
/// selftest.c, v6.17): set as `viommu.ops` by
/// ``SelftestIOMMUDriver/viommuInit(_:userData:)``.
public final class SelftestVIOMMU: VIOMMUOps {
  /// The core vIOMMU (`mock_viommu->core`).
  public unowned let viommu: VIOMMU
  /// The mock IOMMU.
  public unowned let driver: SelftestIOMMUDriver
  /// `mock_viommu->mmap_offset` (0 when allocated without data).
  public internal(set) var mmapOffset: UInt64 = 0
  /// `__pa(mock_viommu->page)`, when allocated with data.
  public internal(set) var pageAddress: UInt64?
  /// `mock_viommu->page`: the two pages as u32 words (empty without data).
  public internal(set) var page: [UInt32] = []
  /// `mock_viommu->hw_queue[IOMMU_TEST_HW_QUEUE_MAX]`.
  public internal(set) var hwQueues: [HWQueue?] = Array(repeating: nil, count: Int(IOMMUTest.hwQueueMax))

  init(viommu: VIOMMU, driver: SelftestIOMMUDriver) {
    self.viommu = viommu
    self.driver = driver
  }

  /// `mock_viommu_destroy`: destroys the mmap (if any) and frees the pages.
  public func destroy(_ viommu: VIOMMU) {
    if mmapOffset != 0 { viommu.context?.destroyMMap(viommu: viommu, offset: mmapOffset) }
    mmapOffset = 0
    driver.freePages(of: self)
  }

  public var supportsNestedDomains: Bool { true }

  /// `mock_viommu_alloc_domain_nested`: flags other than PASID →
  /// `EOPNOTSUPP`, then ``SelftestNestedDomain/allocate(data:)``.
  public func allocDomainNested(_ viommu: VIOMMU, flags: HWPTAllocFlags, data: HWPTUserData) throws(Errno)
    -> any NestedDomain
  {
    guard flags.isSubset(of: .pasid) else {
      throw Errno.eopnotsupp(
        "mock_viommu_alloc_domain_nested: flags 0x\(hex(UInt64(flags.subtracting(.pasid).rawValue))) not supported")
    }
    return try SelftestNestedDomain.allocate(data: data)
  }

  public var supportsCacheInvalidate: Bool { true }

  /// `mock_viommu_cache_invalidate`, in the kernel's order:
  /// 1. no entries and `data_type` ``IOMMUTest/viommuInvalidateDataType``:
  ///    a type probe, success with `entry_num` 0;
  /// 2. `kcalloc` → `ENOMEM`;
  /// 3. `iommu_copy_struct_from_full_user_array` (12-byte entries): another
  ///    `data_type`, or no entries → `EINVAL`; a longer entry with a
  ///    non-zero tail → `E2BIG`; a fault → `EFAULT` (a shorter entry is
  ///    zero-filled, so `entry_len` 1 or 13 reaches the per-entry checks);
  /// 4. per entry: `flags` other than ALL → `EOPNOTSUPP`; `cache_id > 3` →
  ///    `EINVAL`; `vdev_id` not a vDEVICE of this vIOMMU
  ///    (`iommufd_viommu_find_dev`) → `EINVAL`; then ALL clears the
  ///    device's four cache entries, otherwise `cache[cache_id]`.
  ///
  /// `entry_num` is the index of the first failing entry, or the count.
  public func cacheInvalidate(_ viommu: VIOMMU, array: inout UserDataArray) throws(Errno) {
    let type = IOMMUTest.viommuInvalidateDataType
    if array.entryNum == 0 && array.type == type { return }
    var handled = 0
    defer { array.entryNum = UInt32(handled) }
    try array.kcalloc(entrySize: SelftestVIOMMUInvalidation.size)
    let entries = try array.copyFullArray(entrySize: SelftestVIOMMUInvalidation.size, type: type)
    try invalidateDeviceCaches(entries.map(SelftestVIOMMUInvalidation.init(bytes:)), handled: &handled)
  }

  /// The per-entry loop of `mock_viommu_cache_invalidate` (row 4 of
  /// ``cacheInvalidate(_:array:)``) over decoded entries; `handled` is the
  /// index of the first failing entry, or the count.
  func invalidateDeviceCaches(_ entries: [SelftestVIOMMUInvalidation], handled: inout Int) throws(Errno) {
    handled = 0
    for entry in entries {
      guard entry.flags & ~IOMMUTest.invalidateFlagAll == 0 else {
        throw Errno.eopnotsupp("mock_viommu_cache_invalidate: entry \(handled) flags 0x\(hex(UInt64(entry.flags)))")
      }
      guard entry.cacheID < UInt32(IOMMUTest.deviceCacheCount) else {
        throw Errno.einval("mock_viommu_cache_invalidate: entry \(handled) cache_id \(entry.cacheID) > 3")
      }
      guard let vdevice = viommu.vdevices[UInt64(entry.vdevID)], let mock = driver.mockDevice(of: vdevice.device)
      else {
        throw Errno.einval(
          "mock_viommu_cache_invalidate: entry \(handled) vdev_id 0x\(hex(UInt64(entry.vdevID))) is no vDEVICE of vIOMMU \(viommu.id)"
        )
      }
      if entry.flags & IOMMUTest.invalidateFlagAll != 0 {
        for i in mock.cache.indices { mock.cache[i] = 0 }
      } else {
        mock.cache[Int(entry.cacheID)] = 0
      }
      handled += 1
    }
  }

  public var supportsHWQueues: Bool { true }

  /// `mock_viommu_get_hw_queue_size`: only ``IOMMUTest/hwQueueType``.
  public func hwQueueSize(_ viommu: VIOMMU, type: UInt32) -> Int {
    type == IOMMUTest.hwQueueType ? SelftestIOMMUDriver.hwQueueStructSize : 0
  }

  /// `mock_hw_queue_init_phys`, checked in order: `index >= 2` → `EINVAL`;
  /// the slot is taken → `EEXIST`; `index > 0` without a queue at
  /// `index - 1` → `EIO`; `base_addr_pa` is not the nesting parent's
  /// translation of `base_addr` (`iommu_iova_to_phys`) → `EFAULT`; then the
  /// queue depends on its predecessor (`iommufd_hw_queue_depend`), takes the
  /// slot and sets `destroy` (`mock_hw_queue_destroy`: free the slot,
  /// undepend).
  public func hwQueueInitPhys(_ queue: HWQueue, index: UInt32, basePhysicalAddress: UInt64) throws(Errno) {
    guard index < IOMMUTest.hwQueueMax else {
      throw Errno.einval("mock_hw_queue_init_phys: index \(index) >= IOMMU_TEST_HW_QUEUE_MAX (2)")
    }
    let slot = Int(index)
    if let existing = hwQueues[slot] {
      throw Errno.eexist("mock_hw_queue_init_phys: index \(index) is already \(existing.label)")
    }
    var previous: HWQueue?
    if slot > 0 {
      guard let queueBefore = hwQueues[slot - 1] else {
        throw Errno.eio("mock_hw_queue_init_phys: index \(index - 1) is not allocated")
      }
      previous = queueBefore
    }
    let expected = viommu.hwpt.ioas.physicalAddress(of: queue.baseAddress)
    guard basePhysicalAddress == expected else {
      throw Errno.efault(
        "mock_hw_queue_init_phys: base_addr_pa 0x\(hex(basePhysicalAddress)) != iova_to_phys(0x\(hex(queue.baseAddress))) = \(expected.map { "0x\(hex($0))" } ?? "unmapped")"
      )
    }
    if let previous {
      guard let context = viommu.context else { throw Errno.einval("mock_hw_queue_init_phys: no context") }
      try context.depend(queue, on: previous)
    }
    hwQueues[slot] = queue
    queue.destroy = { [weak self] queue in
      guard let self else { return }
      if self.hwQueues[slot] === queue { self.hwQueues[slot] = nil }
      if let previous { queue.context?.undepend(queue, on: previous) }
    }
  }
}
