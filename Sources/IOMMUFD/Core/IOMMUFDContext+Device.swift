extension IOMMUFDContext {
  /// `iommufd_device_bind` (what VFIO does on `VFIO_DEVICE_BIND_IOMMUFD`):
  /// binds a device with these StreamIDs; returns `out_devid`.
  /// 1. no StreamIDs → `EINVAL`;
  /// 2. no physical IOMMU owns all of them → `ENODEV` (no iommu group);
  /// 3. a StreamID of that IOMMU already bound in this fd → `EBUSY` (DMA
  ///    ownership claimed; StreamIDs are per IOMMU).
  public func bindDevice(streamIDs: [UInt32]) throws(Errno) -> UInt32 {
    guard !streamIDs.isEmpty else { throw Errno.einval("iommufd_device_bind: device has no StreamID") }
    guard let driver = drivers.first(where: { d in streamIDs.allSatisfy { d.ownsStreamID($0) } }) else {
      throw Errno.enodev("iommufd_device_bind: no IOMMU translates StreamIDs \(streamIDs)")
    }
    return try bind(driver: driver, streamIDs: streamIDs).id
  }

  /// `iommufd_device_bind` behind a known IOMMU (the selftest binds its mock
  /// devices this way); rule 3 of ``bindDevice(streamIDs:)``.
  func bind(driver: any IOMMUDriver, streamIDs: [UInt32]) throws(Errno) -> IOMMUFDDevice {
    for device in objects(of: IOMMUFDDevice.self) where device.driver === driver {
      if let sid = streamIDs.first(where: { device.streamIDs.contains($0) }) {
        throw Errno.ebusy("iommufd_device_bind: StreamID \(sid) is already bound as device \(device.id)")
      }
    }
    let device = IOMMUFDDevice(driver: driver, streamIDs: streamIDs)
    try allocateObject(device)
    finalize(device)
    return device
  }

  /// `vfio_iommufd_physical_unbind` + `iommufd_device_unbind`: detaches the
  /// device if it is attached (`iommufd_device_detach`), then the same
  /// removal as `IOMMU_DESTROY` of the device (its vDEVICE is tombstoned).
  public func unbindDevice(_ id: UInt32) throws(Errno) {
    let device = try lookup(id, .device, "iommufd_device_unbind") as! IOMMUFDDevice
    detach(device)
    try removeObject(id: id, tombstone: false, what: "iommufd_device_unbind")
  }

  /// `iommufd_device_destroy` with `iommufd_device_pre_destroy`: marks the
  /// device as being destroyed and tombstones its vDEVICE
  /// (`iommufd_object_tombstone_user`), so a later `IOMMU_DESTROY` of the
  /// vDEVICE ID is `ENOENT`.
  func destroyDevice(_ device: IOMMUFDDevice) {
    device.isDestroying = true
    if let vdevice = device.vdevice {
      if case .live(let object) = slots[vdevice.id], object === vdevice, vdevice.users == 1 {
        vdevice.users = 0
        slots[vdevice.id] = .tombstone(.vdevice)
        runDestroy(vdevice)
      } else {
        warn("iommufd_device_remove_vdev: \(vdevice.label) has \(vdevice.users) users; not tombstoned")
      }
    }
  }

  /// `IOMMU_GET_HW_INFO`: bad `device` → `ENOENT`; then the driver's
  /// `hw_info` (which throws `EOPNOTSUPP` for a type it does not report).
  /// `type` 0 asks for the driver's default type.
  public func getHWInfo(device deviceID: UInt32, type: UInt32 = 0) throws(Errno) -> HWInfo {
    let device = try lookup(deviceID, .device, "IOMMU_GET_HW_INFO") as! IOMMUFDDevice
    lockObject(device)
    defer { putObject(device) }
    return try device.driver.hwInfo(device: device, type: type)
  }
}

extension IOMMUFDContext {
  /// Test hook, not API: marks device `id` as being destroyed
  /// (`idev->destroying`) without removing it, modelling another thread that
  /// is inside `iommufd_device_pre_destroy` while an ioctl already holds the
  /// device. This is the only way to reach C.7 row 5 in a single-threaded
  /// model (in the kernel it is a race).
  public func _simulateConcurrentDeviceDestroy(_ id: UInt32) {
    (object(id) as? IOMMUFDDevice)?.isDestroying = true
  }
}
