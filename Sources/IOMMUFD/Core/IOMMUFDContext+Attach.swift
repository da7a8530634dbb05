extension IOMMUFDContext {
  /// `iommufd_device_attach(idev, IOMMU_NO_PASID, &pt_id)` (drivers/iommu/
  /// iommufd/device.c, v6.17); returns `pt_id` as written back (the auto
  /// HWPT's ID when `pt` is an IOAS). The device then holds a `users`
  /// reference on the HWPT (so `IOMMU_DESTROY` of it is `EBUSY`) and the
  /// HWPT one on the device. Checked in the kernel's order
  /// (`iommufd_device_change_pt`, `iommufd_hw_pagetable_attach`):
  /// 1. bad `device` → `ENOENT`; `pt` is no object → `ENOENT`;
  /// 2. `pt` is an IOAS → the first auto-domain HWPT of that IOAS the device
  ///    attaches to (`EINVAL` from one means "try the next"), else a new
  ///    auto-domain HWPT_PAGING (a new ID), destroyed again if the attach
  ///    fails; a vIOMMU, device or any other type → `EINVAL`;
  /// 3. the device is already attached → `EBUSY`;
  /// 4. the domain's `attach_dev`: a paging HWPT of another IOMMU →
  ///    `EINVAL`; a nested HWPT: ``NestedDomain/attach(_:to:)`` (for
  ///    SMMUv3: another SMMU → `EINVAL`, no vDEVICE of the device on the
  ///    vIOMMU → `ENOENT`).
  @discardableResult
  public func attachDevice(_ deviceID: UInt32, pt ptID: UInt32) throws(Errno) -> UInt32 {
    let device = try lookup(deviceID, .device, "iommufd_device_attach") as! IOMMUFDDevice
    let hwpt = try changePT(device, ptID: ptID, replace: false, what: "iommufd_device_attach")
    device.users += 1
    return hwpt.id
  }

  /// `iommufd_device_replace(idev, IOMMU_NO_PASID, &pt_id)`: moves an
  /// attached device to another paging or nested HWPT (or an IOAS's auto
  /// HWPT); returns `pt_id` as written back. Same lookups as
  /// ``attachDevice(_:pt:)``, then (`iommufd_device_do_replace`):
  /// 1. the device is not attached → `EINVAL`;
  /// 2. the same HWPT → success, no reference changes;
  /// 3. the new domain's `attach_dev` errno propagates unchanged and the
  ///    device stays on the old HWPT;
  /// 4. the new HWPT gains the device's reference, the old one loses it (an
  ///    auto-domain HWPT left without devices is destroyed).
  @discardableResult
  public func replaceDevice(_ deviceID: UInt32, pt ptID: UInt32) throws(Errno) -> UInt32 {
    let device = try lookup(deviceID, .device, "iommufd_device_replace") as! IOMMUFDDevice
    return try changePT(device, ptID: ptID, replace: true, what: "iommufd_device_replace").id
  }

  /// `VFIO_DEVICE_ATTACH_IOMMUFD_PT` as vfio-pci runs it
  /// (`vfio_iommufd_physical_attach_ioas`, drivers/vfio/iommufd.c, v6.17):
  /// replace if the device is attached, attach otherwise. This is what a VMM
  /// calls; returns `pt_id` as written back.
  @discardableResult
  public func vfioAttachPT(device deviceID: UInt32, pt ptID: UInt32) throws(Errno) -> UInt32 {
    let device = try lookup(deviceID, .device, "VFIO_DEVICE_ATTACH_IOMMUFD_PT") as! IOMMUFDDevice
    return device.attachedHWPT == nil
      ? try attachDevice(deviceID, pt: ptID) : try replaceDevice(deviceID, pt: ptID)
  }

  /// `iommufd_device_detach(idev, IOMMU_NO_PASID)` (what
  /// `VFIO_DEVICE_DETACH_IOMMUFD_PT` runs): bad `device` → `ENOENT`; a
  /// device that is not attached is left alone (success, as VFIO does).
  public func detachDevice(_ deviceID: UInt32) throws(Errno) {
    let device = try lookup(deviceID, .device, "iommufd_device_detach") as! IOMMUFDDevice
    detach(device)
  }

  /// `iommufd_viommu_get_vdev_id` (drivers/iommu/iommufd/driver.c, v6.17):
  /// the virtual ID of the device's vDEVICE on `viommu`, or `ENOENT`.
  public func viommuGetVDevID(_ viommu: VIOMMU, device: IOMMUFDDevice) throws(Errno) -> UInt64 {
    guard let vdevice = viommu.vdevices.values.first(where: { $0.device === device }) else {
      throw Errno.enoent(
        "iommufd_viommu_get_vdev_id: device \(device.id) has no vDEVICE on vIOMMU \(viommu.id) (IOMMU_VDEVICE_ALLOC first)")
    }
    return vdevice.virtID
  }

  func detach(_ device: IOMMUFDDevice) {
    guard let old = device.attachedHWPT else { return }
    device.attachedHWPT = nil
    device.installedSTE = nil
    device.users -= 1
    device.driver.deviceDetached(device)
    autoRespondFaults(old, device: device)
    putHWPT(old)
  }

  /// `iommufd_hw_pagetable_put`: an auto-domain HWPT is destroyed when only
  /// the table's reference is left; any other only loses a reference.
  func putHWPT(_ hwpt: IOMMUFDObject) {
    hwpt.users -= 1
    if let paging = hwpt as? HWPTPaging, paging.isAutoDomain, paging.users == 1,
      case .live(let object) = slots[paging.id], object === paging
    {
      paging.users = 0
      slots[paging.id] = nil
      runDestroy(paging)
    }
  }

  /// `iommufd_device_change_pt`: resolves `pt` and attaches or replaces.
  func changePT(_ device: IOMMUFDDevice, ptID: UInt32, replace: Bool, what: String) throws(Errno) -> IOMMUFDObject {
    let pt = try lookup(ptID, nil, what)
    switch pt {
    case is HWPTPaging, is HWPTNested:
      try attachOrReplace(device, to: pt, replace: replace, what: what)
      return pt
    case let ioas as IOAS:
      return try autoGetDomain(device, ioas: ioas, replace: replace, what: what)
    default:
      throw Errno.einval("\(what): pt_id \(ptID) is a \(pt.type), not an IOAS or HWPT")
    }
  }

  /// `iommufd_device_auto_get_domain`.
  func autoGetDomain(_ device: IOMMUFDDevice, ioas: IOAS, replace: Bool, what: String) throws(Errno) -> HWPTPaging {
    let autos = objects(of: HWPTPaging.self).filter { $0.ioas === ioas && $0.isAutoDomain && $0.state == .live }
    for hwpt in autos {
      do {
        try attachOrReplace(device, to: hwpt, replace: replace, what: what)
        return hwpt
      } catch where error == Errno.einval {
        continue
      }
    }
    let hwpt = try allocHWPTPaging(ioas: ioas, device: device, flags: [], data: nil, isAutoDomain: true)
    do {
      try attachOrReplace(device, to: hwpt, replace: replace, what: what)
    } catch {
      abortAndDestroy(hwpt)
      throw error
    }
    finalize(hwpt)
    return hwpt
  }

  /// `iommufd_device_do_attach` / `iommufd_device_do_replace` with the
  /// domain's `attach_dev`.
  func attachOrReplace(_ device: IOMMUFDDevice, to hwpt: IOMMUFDObject, replace: Bool, what: String) throws(Errno) {
    if replace {
      guard let old = device.attachedHWPT else {
        throw Errno.einval("\(what): device \(device.id) is not attached")
      }
      if old === hwpt { return }
    } else if let current = device.attachedHWPT {
      throw Errno.ebusy("\(what): device \(device.id) is already attached to \(current.label)")
    }
    let ste = try attachDev(device, to: hwpt, what: what)
    let old = device.attachedHWPT
    hwpt.users += 1
    device.attachedHWPT = hwpt
    device.installedSTE = ste
    if let old {
      autoRespondFaults(old, device: device)
      putHWPT(old)
    }
  }

  /// The domain's `attach_dev`: for a paging domain, SMMUv3's
  /// `arm_smmu_attach_dev` (another SMMU → `EINVAL`; the STE is S2 for a
  /// nest parent, S1 otherwise); for a nested one, the driver's domain.
  func attachDev(_ device: IOMMUFDDevice, to hwpt: IOMMUFDObject, what: String) throws(Errno) -> PhysicalSTE? {
    switch hwpt {
    case let paging as HWPTPaging:
      guard paging.driver === device.driver else {
        throw Errno.einval(
          "\(what): \(paging.label) is on \(paging.driver.name), device \(device.id) on \(device.driver.name)")
      }
      return try paging.driver.attachPagingDomain(paging, device: device)
    case let nested as HWPTNested:
      guard let domain = nested.domain else { throw Errno.einval("\(what): \(nested.label) has no domain") }
      return try domain.attach(device, to: nested)
    default:
      throw Errno.einval("\(what): \(hwpt.label) is not a HWPT")
    }
  }
}
