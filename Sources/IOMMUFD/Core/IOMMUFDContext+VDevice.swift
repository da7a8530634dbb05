extension IOMMUFDContext {
  /// `IOMMU_VDEVICE_ALLOC` (`iommufd_vdevice_alloc_ioctl`), checked in the
  /// kernel's order (drivers/iommu/iommufd/viommu.c, v6.17):
  /// 1. `virtID > ULONG_MAX` → `EINVAL`;
  /// 2. bad `viommu` → `ENOENT`; 3. bad `device` → `ENOENT`;
  /// 4. the vIOMMU is on another physical IOMMU → `EINVAL`;
  /// 5. the device is being destroyed → `ENOENT`;
  /// 6. the device already has a vDEVICE → `EEXIST`;
  /// 7. `vdevice_size` set but < core size, or no `vdevice_init` (WARN) →
  ///    `EOPNOTSUPP`;
  /// 8. `virtID` already used on this vIOMMU → `EEXIST`;
  /// 9. `vdevice_init` fails → its errno.
  ///
  /// Failures after the allocation abort-destroy the object
  /// (`iommufd_vdevice_abort`: the driver's `destroy` if set, the xarray
  /// entry, `viommu.users--`, `idev->vdev = NULL`).
  public func allocVDevice(viommu viommuID: UInt32, device deviceID: UInt32, virtID: UInt64) throws(Errno) -> UInt32 {
    guard virtID <= unsignedLongMax else {
      throw Errno.einval("IOMMU_VDEVICE_ALLOC: virt_id 0x\(hex(virtID)) > ULONG_MAX")
    }
    let viommu = try lookup(viommuID, .viommu, "IOMMU_VDEVICE_ALLOC") as! VIOMMU
    lockObject(viommu)
    defer { putObject(viommu) }
    let device = try lookup(deviceID, .device, "IOMMU_VDEVICE_ALLOC") as! IOMMUFDDevice
    lockObject(device)
    defer { putObject(device) }
    guard viommu.driver === device.driver else {
      throw Errno.einval(
        "IOMMU_VDEVICE_ALLOC: vIOMMU \(viommuID) is on \(viommu.driver.name), device \(deviceID) on \(device.driver.name)")
    }
    guard !device.isDestroying else {
      throw Errno.enoent("IOMMU_VDEVICE_ALLOC: device \(deviceID) is being destroyed")
    }
    if let existing = device.vdevice {
      throw Errno.eexist("IOMMU_VDEVICE_ALLOC: device \(deviceID) already has vDEVICE \(existing.id)")
    }
    if let ops = viommu.ops, ops.vdeviceSize != 0 {
      guard ops.vdeviceSize >= VDevice.coreStructSize, ops.supportsVDeviceInit else {
        warn("IOMMU_VDEVICE_ALLOC: vdevice_size \(ops.vdeviceSize) < core or no vdevice_init")
        throw Errno.eopnotsupp(
          "IOMMU_VDEVICE_ALLOC: driver vdevice_size \(ops.vdeviceSize) without a usable vdevice_init")
      }
    }
    let vdevice = VDevice(viommu: viommu, device: device, virtID: virtID)
    try allocateObject(vdevice)
    viommu.users += 1
    device.vdevice = vdevice
    if let current = viommu.vdevices[virtID] {
      abortAndDestroy(vdevice)
      throw Errno.eexist("IOMMU_VDEVICE_ALLOC: virt_id 0x\(hex(virtID)) is already vDEVICE \(current.id)")
    }
    viommu.vdevices[virtID] = vdevice
    if let ops = viommu.ops, ops.supportsVDeviceInit {
      do {
        try ops.vdeviceInit(vdevice)
      } catch {
        abortAndDestroy(vdevice)
        throw error
      }
    }
    finalize(vdevice)
    return vdevice.id
  }

  /// `iommufd_vdevice_abort` / `iommufd_vdevice_destroy`.
  func destroyVDevice(_ vdevice: VDevice) {
    vdevice.destroy?(vdevice)
    let viommu = vdevice.viommu
    if viommu.vdevices[vdevice.virtID] === vdevice { viommu.vdevices[vdevice.virtID] = nil }
    viommu.users -= 1
    if vdevice.device.vdevice === vdevice { vdevice.device.vdevice = nil }
  }

  /// `iommufd_viommu_find_dev`: the vDEVICE with `virtID` on `viommu`.
  public func findVDevice(viommu: VIOMMU, virtID: UInt64) -> VDevice? {
    viommu.vdevices[virtID]
  }
}
