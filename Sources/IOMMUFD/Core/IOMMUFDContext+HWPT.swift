extension IOMMUFDContext {
  /// `IOMMU_HWPT_ALLOC` (`iommufd_hwpt_alloc`, drivers/iommu/iommufd/
  /// hw_pagetable.c, v6.17); returns `out_hwpt_id`. Checked in the kernel's
  /// order:
  /// 1. `data` with `data_type` NONE but bytes, or another type without
  ///    bytes → `EINVAL`;
  /// 2. bad `device` → `ENOENT`;
  /// 3. `pt` is no object at all → `EINVAL` (not `ENOENT`);
  /// 4. `pt` is an IOAS → HWPT_PAGING (`iommufd_hwpt_paging_alloc`):
  ///    flags outside ``HWPTAllocFlags/known`` → `EOPNOTSUPP`;
  ///    DIRTY_TRACKING on an IOMMU without the capability (every SMMU here;
  ///    the selftest mock has it) → `EOPNOTSUPP`; FAULT_ID_VALID with
  ///    NEST_PARENT → `EOPNOTSUPP`; then the object is allocated, the IOAS
  ///    referenced, and the driver's `domain_alloc_paging_flags` refusals
  ///    apply (``IOMMUDriver/checkPagingDomain(device:flags:data:)``; SMMUv3:
  ///    any `data` or flags other than none, NEST_PARENT or PASID →
  ///    `EOPNOTSUPP`); a nest parent gets a VMID (`ENOSPC` when none is left);
  /// 5. `pt` is a vIOMMU → HWPT_NESTED (`iommufd_viommu_alloc_hwpt_nested`):
  ///    the vIOMMU on another IOMMU than the device → `EINVAL`; flags other
  ///    than FAULT_ID_VALID | PASID → `EOPNOTSUPP`; no `data` →
  ///    `EOPNOTSUPP`; no `alloc_domain_nested` → `EOPNOTSUPP`; then the
  ///    object is allocated, the vIOMMU referenced (so `IOMMU_DESTROY` of it
  ///    is `EBUSY` while the nested HWPT lives) and the driver's
  ///    `alloc_domain_nested` runs with FAULT_ID_VALID stripped (for SMMUv3:
  ///    ``ARMSMMUv3NestedDomain/allocate(viommu:flags:data:)``);
  /// 6. `pt` is a HWPT_PAGING → `EOPNOTSUPP` (the nested-on-parent path:
  ///    arm-smmu-v3 has no `domain_alloc_nested` in v6.17); any other type →
  ///    `EINVAL`;
  /// 7. FAULT_ID_VALID: `faultID` not a FAULT object → `ENOENT`; otherwise
  ///    the HWPT references the fault queue.
  ///
  /// A failure after the object was allocated abort-destroys it: the ID,
  /// the VMID and every reference taken are released.
  public func allocHWPT(
    device deviceID: UInt32, pt ptID: UInt32, flags: HWPTAllocFlags = [], data: HWPTUserData? = nil,
    faultID: UInt32 = 0
  ) throws(Errno) -> UInt32 {
    if let data, (data.type == HWPTUserData.typeNone) != data.bytes.isEmpty {
      throw Errno.einval(
        "IOMMU_HWPT_ALLOC: data_type \(data.type) with data_len \(data.bytes.count) (NONE needs 0, any other type > 0)")
    }
    let userData = data.flatMap { $0.bytes.isEmpty ? nil : $0 }
    let device = try lookup(deviceID, .device, "IOMMU_HWPT_ALLOC") as! IOMMUFDDevice
    lockObject(device)
    defer { putObject(device) }
    guard case .live(let pt) = slots[ptID] else {
      throw Errno.einval("IOMMU_HWPT_ALLOC: pt_id \(ptID) is not an object")
    }
    lockObject(pt)
    defer { putObject(pt) }
    let hwpt: IOMMUFDObject
    switch pt {
    case let ioas as IOAS:
      hwpt = try allocHWPTPaging(ioas: ioas, device: device, flags: flags, data: userData)
    case let viommu as VIOMMU:
      hwpt = try allocHWPTNested(viommu: viommu, device: device, flags: flags, data: userData)
    case is HWPTPaging:
      throw Errno.eopnotsupp("IOMMU_HWPT_ALLOC: \(device.driver.name) has no domain_alloc_nested (nest on a vIOMMU)")
    default:
      throw Errno.einval("IOMMU_HWPT_ALLOC: pt_id \(ptID) is a \(pt.type), not an IOAS, HWPT_PAGING or vIOMMU")
    }
    if flags.contains(.faultIDValid) {
      guard case .live(let object) = slots[faultID], let fault = object as? FaultQueue else {
        abortAndDestroy(hwpt)
        throw Errno.enoent("IOMMU_HWPT_ALLOC: fault_id \(faultID) is not a FAULT object")
      }
      fault.users += 1
      if let paging = hwpt as? HWPTPaging { paging.fault = fault }
      if let nested = hwpt as? HWPTNested { nested.fault = fault }
    }
    finalize(hwpt)
    return hwpt.id
  }

  /// The pre-uAPI spelling kept for existing harnesses: `pt` under the
  /// `ioas:` label, NEST_PARENT as a `Bool`, `flags` as raw bits (ORed with
  /// it). Same checks as ``allocHWPT(device:pt:flags:data:faultID:)``.
  public func allocHWPT(device deviceID: UInt32, ioas ptID: UInt32, nestParent: Bool = false, flags: UInt32 = 0)
    throws(Errno) -> UInt32
  {
    var all = HWPTAllocFlags(rawValue: flags)
    if nestParent { all.insert(.nestParent) }
    return try allocHWPT(device: deviceID, pt: ptID, flags: all)
  }

  func allocHWPTPaging(
    ioas: IOAS, device: IOMMUFDDevice, flags: HWPTAllocFlags, data: HWPTUserData?, isAutoDomain: Bool = false
  ) throws(Errno) -> HWPTPaging {
    let what = "IOMMU_HWPT_ALLOC"
    guard flags.isSubset(of: .known) else {
      throw Errno.eopnotsupp("\(what): unknown flags 0x\(hex(UInt64(flags.subtracting(.known).rawValue)))")
    }
    guard !flags.contains(.dirtyTracking) || device.driver.supportsDirtyTracking(device: device) else {
      throw Errno.eopnotsupp("\(what): \(device.driver.name) has no IOMMU_CAP_DIRTY_TRACKING")
    }
    guard !flags.isSuperset(of: [.faultIDValid, .nestParent]) else {
      throw Errno.eopnotsupp("\(what): FAULT_ID_VALID with NEST_PARENT")
    }
    let hwpt = HWPTPaging(
      ioas: ioas, driver: device.driver, isNestParent: flags.contains(.nestParent), isAutoDomain: isAutoDomain,
      isDirtyTracking: flags.contains(.dirtyTracking))
    try allocateObject(hwpt)
    ioas.users += 1
    do {
      try device.driver.checkPagingDomain(device: device, flags: flags.subtracting(.faultIDValid), data: data)
    } catch {
      abortAndDestroy(hwpt)
      throw error
    }
    if hwpt.isNestParent {
      do {
        hwpt.vmid = try device.driver.vmids.allocate()
      } catch {
        abortAndDestroy(hwpt)
        throw error
      }
    }
    return hwpt
  }

  func allocHWPTNested(viommu: VIOMMU, device: IOMMUFDDevice, flags: HWPTAllocFlags, data: HWPTUserData?)
    throws(Errno) -> HWPTNested
  {
    let what = "IOMMU_HWPT_ALLOC"
    guard viommu.driver === device.driver else {
      throw Errno.einval(
        "\(what): vIOMMU \(viommu.id) is on \(viommu.driver.name), device \(device.id) on \(device.driver.name)")
    }
    let allowed: HWPTAllocFlags = [.faultIDValid, .pasid]
    guard flags.isSubset(of: allowed) else {
      throw Errno.eopnotsupp(
        "\(what): flags 0x\(hex(UInt64(flags.subtracting(allowed).rawValue))) not allowed for a nested HWPT")
    }
    guard let data else { throw Errno.eopnotsupp("\(what): a nested HWPT needs user data (data_len 0)") }
    guard let ops = viommu.ops, ops.supportsNestedDomains else {
      throw Errno.eopnotsupp("\(what): vIOMMU \(viommu.id) has no alloc_domain_nested")
    }
    let nested = HWPTNested(viommu: viommu, isPASIDCompatible: flags.contains(.pasid))
    try allocateObject(nested)
    viommu.users += 1
    do {
      nested.domain = try ops.allocDomainNested(viommu, flags: flags.subtracting(.faultIDValid), data: data)
    } catch {
      abortAndDestroy(nested)
      throw error
    }
    return nested
  }

  func destroyHWPTPaging(_ hwpt: HWPTPaging) {
    if let vmid = hwpt.vmid { hwpt.driver.vmids.free(vmid) }
    hwpt.vmid = nil
    hwpt.ioas.users -= 1
    hwpt.fault?.users -= 1
  }

  /// `iommufd_hwpt_nested_destroy`: drops the vIOMMU and fault references.
  func destroyHWPTNested(_ nested: HWPTNested) {
    nested.viommu.users -= 1
    nested.fault?.users -= 1
  }
}
