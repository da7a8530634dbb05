extension IOMMUFDContext {
  /// `IOMMU_VIOMMU_ALLOC` (`iommufd_viommu_alloc_ioctl`), checked in the
  /// kernel's order (drivers/iommu/iommufd/viommu.c, v6.17):
  /// 1. `flags != 0` or `type == IOMMU_VIOMMU_TYPE_DEFAULT` → `EOPNOTSUPP`;
  /// 2. bad `device` → `ENOENT`;
  /// 3. the IOMMU lacks `get_viommu_size`/`viommu_init` → `EOPNOTSUPP`;
  /// 4. `get_viommu_size == 0` → `EOPNOTSUPP`;
  /// 5. size < core size (WARN) → `EOPNOTSUPP`;
  /// 6. `hwpt` not a HWPT_PAGING → `ENOENT`;
  /// 7. HWPT not a nest parent → `EINVAL`;
  /// 8. `viommu_init` fails → its errno (the object is abort-destroyed);
  /// 9. `viommu.ops == nil` after init (WARN) → `EOPNOTSUPP`.
  ///
  /// The vIOMMU holds a `users` reference on the HWPT. The result's `data`
  /// is the caller's buffer with the driver's output copied over its start
  /// (decode it with the driver's ``VIOMMUUserData`` type).
  public func allocVIOMMU(device deviceID: UInt32, hwpt hwptID: UInt32, type: UInt32, data: [UInt8] = [], flags: UInt32 = 0)
    throws(Errno) -> VIOMMUAllocation
  {
    guard flags == 0 else { throw Errno.eopnotsupp("IOMMU_VIOMMU_ALLOC: flags 0x\(hex(UInt64(flags))) != 0") }
    guard type != 0 else { throw Errno.eopnotsupp("IOMMU_VIOMMU_ALLOC: type is IOMMU_VIOMMU_TYPE_DEFAULT") }
    let device = try lookup(deviceID, .device, "IOMMU_VIOMMU_ALLOC") as! IOMMUFDDevice
    lockObject(device)
    defer { putObject(device) }
    let driver = device.driver
    guard driver.supportsVIOMMU else {
      throw Errno.eopnotsupp("IOMMU_VIOMMU_ALLOC: \(driver.name) has no get_viommu_size/viommu_init")
    }
    let size = driver.viommuSize(device: device, type: type)
    guard size != 0 else {
      throw Errno.eopnotsupp("IOMMU_VIOMMU_ALLOC: \(driver.name) does not support vIOMMU type 0x\(hex(UInt64(type)))")
    }
    guard size >= VIOMMU.coreStructSize else {
      warn("IOMMU_VIOMMU_ALLOC: \(driver.name) get_viommu_size \(size) < sizeof(struct iommufd_viommu)")
      throw Errno.eopnotsupp("IOMMU_VIOMMU_ALLOC: driver vIOMMU size \(size) < core size \(VIOMMU.coreStructSize)")
    }
    let hwpt = try lookup(hwptID, .hwptPaging, "IOMMU_VIOMMU_ALLOC") as! HWPTPaging
    lockObject(hwpt)
    defer { putObject(hwpt) }
    guard hwpt.isNestParent else {
      throw Errno.einval("IOMMU_VIOMMU_ALLOC: HWPT \(hwptID) is not a nest parent")
    }
    let viommu = VIOMMU(viommuType: type, hwpt: hwpt, driver: driver)
    try allocateObject(viommu)
    hwpt.users += 1
    let output: VIOMMUDriverOutput
    do {
      output = try driver.viommuInit(viommu, userData: data)
    } catch {
      abortAndDestroy(viommu)
      throw error
    }
    guard viommu.ops != nil else {
      warn("IOMMU_VIOMMU_ALLOC: \(driver.name) viommu_init left viommu->ops NULL")
      abortAndDestroy(viommu)
      throw Errno.eopnotsupp("IOMMU_VIOMMU_ALLOC: viommu_init did not set ops")
    }
    finalize(viommu)
    // iommu_copy_struct_to_user writes into the user's data_len bytes only.
    var buffer = data
    if output.data.count > data.count {
      warn("IOMMU_VIOMMU_ALLOC: \(driver.name) viommu_init wrote \(output.data.count) bytes into a \(data.count)-byte buffer")
    }
    buffer.replaceSubrange(0..<min(output.data.count, data.count), with: output.data.prefix(data.count))
    return VIOMMUAllocation(id: viommu.id, type: type, data: buffer)
  }

  /// `iommufd_viommu_destroy`: `ops->destroy`, then drop the HWPT reference,
  /// then `xa_destroy(vdevs)`. Regions the driver left in the mmap registry
  /// are removed with a warning.
  func destroyVIOMMU(_ viommu: VIOMMU) {
    viommu.ops?.destroy(viommu)
    viommu.hwpt.users -= 1
    viommu.vdevices.removeAll()
    for region in mmapRegions.values where region.ownerID == viommu.id && viommu.id != 0 {
      warn("vIOMMU \(viommu.id) destroyed with mmap offset 0x\(hex(region.offset)) still registered")
      mmapRegions[region.offset] = nil
    }
  }
}
