/// `struct arm_smmu_nested_domain`: the nested domain an arm-smmu-v3 vIOMMU
/// (and so a Tegra241 CMDQV vIOMMU, whose ops reuse it) allocates from a
/// guest's vSTE (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-iommufd.c, v6.17).
///
/// Its ops have `attach_dev` and `free` only: no `cache_invalidate_user`, so
/// `IOMMU_HWPT_INVALIDATE` on the nested HWPT is `EOPNOTSUPP` and a VMM
/// invalidates through the vIOMMU.
public final class ARMSMMUv3NestedDomain: NestedDomain {
  /// `nested_domain->ste[0..1]`: the validated vSTE words, EATS cleared from
  /// word 1 (both zero when the guest's V bit was clear).
  public let ste: (UInt64, UInt64)
  /// `nested_domain->enable_ats`.
  public let enableATS: Bool
  /// The stage-2 VMID of the vIOMMU (`vsmmu->vmid`).
  public let vmid: UInt16
  /// The physical IOMMU of the vIOMMU (`vsmmu->smmu`).
  unowned let driver: any IOMMUDriver

  // STE field layout (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h, v6.17).
  /// `STRTAB_STE_0_V`.
  public static let steValid: UInt64 = 1 << 0
  /// `STRTAB_STE_0_CFG`, bits [3:1].
  public static let steConfigMask: UInt64 = 0b111 << 1
  /// `STRTAB_STE_0_CFG_ABORT`, `_BYPASS`, `_S1_TRANS`, `_NESTED`.
  public static let configAbort: UInt64 = 0, configBypass: UInt64 = 4, configS1Trans: UInt64 = 5
  public static let configNested: UInt64 = 7
  /// `STRTAB_STE_0_NESTING_ALLOWED`: V | CFG | S1FMT | S1CTXPTR | S1CDMAX.
  public static let word0Allowed: UInt64 = 0xF80F_FFFF_FFFF_FFFF
  /// `STRTAB_STE_1_NESTING_ALLOWED`: S1DSS | S1CIR | S1COR | S1CSH |
  /// S1STALLD | EATS.
  public static let word1Allowed: UInt64 = 0x0000_0000_3800_00FF
  /// `STRTAB_STE_1_EATS`, bits [29:28] (ABT 0, TRANS 1, S1CHK 2).
  public static let eatsShift: UInt64 = 28
  public static let eatsMask: UInt64 = 0b11 << 28
  /// `STRTAB_STE_1_MEV`, bit 19.
  public static let mev: UInt64 = 1 << 19

  init(ste: (UInt64, UInt64), enableATS: Bool, vmid: UInt16, driver: any IOMMUDriver) {
    self.ste = ste
    self.enableATS = enableATS
    self.vmid = vmid
    self.driver = driver
  }

  /// `arm_vsmmu_alloc_domain_nested`, checked in the kernel's order:
  /// 1. `flags` other than 0 (the core already stripped FAULT_ID_VALID, so
  ///    this is `IOMMU_HWPT_ALLOC_PASID`) → `EOPNOTSUPP`;
  /// 2. `iommu_copy_struct_from_user`: `data_type` not
  ///    `IOMMU_HWPT_DATA_ARM_SMMUV3` → `EINVAL`; `data_len` other than 16
  ///    (shorter or longer) → `EINVAL`;
  /// 3. ``validateVSTE(_:_:)`` → `EIO`.
  public static func allocate(viommu: VIOMMU, flags: HWPTAllocFlags, data: HWPTUserData) throws(Errno)
    -> ARMSMMUv3NestedDomain
  {
    guard flags.isEmpty else {
      throw Errno.eopnotsupp("arm_vsmmu_alloc_domain_nested: flags 0x\(hex(UInt64(flags.rawValue))) != 0")
    }
    guard data.type == HWPTUserData.typeARMSMMUv3 else {
      throw Errno.einval("arm_vsmmu_alloc_domain_nested: data_type \(data.type) is not IOMMU_HWPT_DATA_ARM_SMMUV3")
    }
    guard data.bytes.count == 16 else {
      throw Errno.einval(
        "arm_vsmmu_alloc_domain_nested: data_len \(data.bytes.count) != sizeof(struct iommu_hwpt_arm_smmuv3) 16")
    }
    let (ste, ats) = try validateVSTE(data.le64(0), data.le64(1))
    return ARMSMMUv3NestedDomain(ste: ste, enableATS: ats, vmid: viommu.hwpt.vmid ?? 0, driver: viommu.driver)
  }

  /// `arm_smmu_validate_vste`, in the kernel's order:
  /// 1. V clear → both words zeroed and accepted (nothing else is checked);
  /// 2. a bit outside `STRTAB_STE_0/1_NESTING_ALLOWED` → `EIO`;
  /// 3. CFG other than ABORT, BYPASS, S1_TRANS → `EIO`;
  /// 4. EATS is cleared from the copy; EATS other than ABT or TRANS → `EIO`;
  /// 5. `enable_ats` = (EATS == TRANS), for CFG S1_TRANS only.
  /// Returns the stored words and `enable_ats`.
  public static func validateVSTE(_ word0: UInt64, _ word1: UInt64) throws(Errno) -> ((UInt64, UInt64), Bool) {
    guard word0 & steValid != 0 else { return ((0, 0), false) }
    if word0 & ~word0Allowed != 0 || word1 & ~word1Allowed != 0 {
      throw Errno.eio(
        "arm_smmu_validate_vste: ste[0] bits 0x\(hex(word0 & ~word0Allowed)) or ste[1] bits 0x\(hex(word1 & ~word1Allowed)) are not allowed for nesting"
      )
    }
    let config = (word0 & steConfigMask) >> 1
    guard config == configAbort || config == configBypass || config == configS1Trans else {
      throw Errno.eio("arm_smmu_validate_vste: STE.Config \(config) is not ABORT, BYPASS or S1_TRANS")
    }
    let eats = (word1 & eatsMask) >> eatsShift
    guard eats == 0 || eats == 1 else {
      throw Errno.eio("arm_smmu_validate_vste: STE.EATS \(eats) is not ABT or TRANS")
    }
    return ((word0, word1 & ~eatsMask), config == configS1Trans && eats == 1)
  }

  /// `arm_smmu_attach_dev_nested`, checked in the kernel's order:
  /// 1. the vIOMMU's SMMU is not the device's → `EINVAL`;
  /// 2. (SSIDs in use on the CD table → `EBUSY`: no PASIDs in this model);
  /// 3. `arm_smmu_attach_prepare_vmaster`: the device has no vDEVICE on the
  ///    vIOMMU (`iommufd_viommu_get_vdev_id`) → `ENOENT`.
  /// Returns the STE `arm_smmu_make_nested_domain_ste` builds.
  public func attach(_ device: IOMMUFDDevice, to hwpt: HWPTNested) throws(Errno) -> PhysicalSTE? {
    guard device.driver === driver else {
      throw Errno.einval(
        "arm_smmu_attach_dev_nested: vIOMMU \(hwpt.viommu.id) is on \(driver.name), device \(device.id) on \(device.driver.name)")
    }
    guard let context = hwpt.context else { throw Errno.einval("arm_smmu_attach_dev_nested: HWPT has no context") }
    _ = try context.viommuGetVDevID(hwpt.viommu, device: device)
    return physicalSTE
  }

  /// `arm_smmu_make_nested_domain_ste`: V clear or CFG ABORT → abort; BYPASS
  /// → the parent's S2 STE; S1_TRANS → a NESTED STE.
  public var physicalSTE: PhysicalSTE {
    let config = ste.0 & Self.steValid == 0 ? Self.configAbort : (ste.0 & Self.steConfigMask) >> 1
    switch config {
    case Self.configS1Trans:
      let word0 = Self.steValid | (Self.configNested << 1) | (ste.0 & ~Self.steConfigMask)
      return .nested(vmid: vmid, word0: word0, word1: ste.1 | Self.mev, ats: enableATS)
    case Self.configBypass:
      return .stage2(vmid: vmid)
    default:
      return .abort
    }
  }
}
