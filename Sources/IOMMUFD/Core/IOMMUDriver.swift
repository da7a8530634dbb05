/// A physical IOMMU's driver as iommufd sees it: the iommufd-facing part of
/// `struct iommu_ops` (`hw_info`, `get_viommu_size`, `viommu_init`) plus the
/// device ↔ IOMMU relation (`dev->iommu->iommu_dev`) and its VMID space.
///
/// One instance per physical IOMMU. The context dispatches to it; the driver
/// calls back into ``IOMMUFDContext`` for the driver-facing helpers
/// (`iommufd_viommu_alloc_mmap`, `iommufd_hw_queue_depend`,
/// `iommufd_viommu_report_event`, …).
///
/// Contract (`struct iommufd_viommu_ops` kdoc, include/linux/iommufd.h, and
/// `iommufd_viommu_alloc_ioctl`, drivers/iommu/iommufd/viommu.c, v6.17):
/// - ``viommuSize(type:)`` returns 0 for an unsupported type; a non-zero value
///   below ``VIOMMU/coreStructSize`` is a driver bug that the core turns into
///   `EOPNOTSUPP` (WARN).
/// - ``viommuInit(_:userData:)`` must set `viommu.ops` on success. If it
///   throws, the core aborts the object; if `ops` was already set, the core's
///   destroy still calls `ops.destroy` (as `iommufd_viommu_destroy` does), so
///   a driver should set `ops` last, as Tegra does.
public protocol IOMMUDriver: AnyObject {
  /// A name for messages, e.g. `"smmu0"`.
  var name: String { get }
  /// Whether this IOMMU translates for `streamID` (the device ↔ IOMMU
  /// relation `iommufd_device_bind` relies on).
  func ownsStreamID(_ streamID: UInt32) -> Bool
  /// `ops->hw_info(dev, &length, &type)`: `type` is the requested
  /// `IOMMU_HW_INFO_TYPE_*` (0 = the driver's default). Throw `EOPNOTSUPP`
  /// for a type the driver does not report.
  func hwInfo(device: IOMMUFDDevice, type: UInt32) throws(Errno) -> HWInfo
  /// `false` models ops lacking `get_viommu_size`/`viommu_init` (C.6 row 3).
  var supportsVIOMMU: Bool { get }
  /// `get_viommu_size(dev, viommu_type)`: 0 = unsupported type.
  func viommuSize(device: IOMMUFDDevice, type: UInt32) -> Int
  /// `viommu_init(viommu, parent_domain, user_data)`: sets `viommu.ops` and
  /// returns what the ioctl copies back to the user (for Tegra: the VINTF
  /// mmap offset and length).
  func viommuInit(_ viommu: VIOMMU, userData: [UInt8]) throws(Errno) -> VIOMMUDriverOutput
  /// The stage-2 VMID space (`smmu->vmid_map`), used for nest-parent HWPTs.
  var vmids: VMIDAllocator { get }

  /// `ops->capable(dev, IOMMU_CAP_DIRTY_TRACKING)`. Default: `false` (no
  /// SMMU in this model tracks dirty pages).
  func supportsDirtyTracking(device: IOMMUFDDevice) -> Bool
  /// The refusals of `ops->domain_alloc_paging_flags(dev, flags, user_data)`
  /// (`flags` without FAULT_ID_VALID, which the core strips). Default: the
  /// arm-smmu-v3 rules (`arm_smmu_domain_alloc_paging_flags`): any user
  /// data, or flags other than none, NEST_PARENT or PASID → `EOPNOTSUPP`.
  func checkPagingDomain(device: IOMMUFDDevice, flags: HWPTAllocFlags, data: HWPTUserData?) throws(Errno)
  /// A paging domain's `attach_dev` after the core's checks; returns the STE
  /// an SMMUv3 driver installs (`nil` for an IOMMU without STEs). Default:
  /// arm-smmu-v3 (S2 STE with the VMID for a nest parent, S1 otherwise).
  func attachPagingDomain(_ hwpt: HWPTPaging, device: IOMMUFDDevice) throws(Errno) -> PhysicalSTE?
  /// The device left its domain without a new one (`iommufd_device_detach`
  /// attaches the blocking domain). Default: nothing.
  func deviceDetached(_ device: IOMMUFDDevice)
}

extension IOMMUDriver {
  public var supportsVIOMMU: Bool { true }

  public func supportsDirtyTracking(device: IOMMUFDDevice) -> Bool { false }

  public func checkPagingDomain(device: IOMMUFDDevice, flags: HWPTAllocFlags, data: HWPTUserData?) throws(Errno) {
    guard data == nil, flags.isEmpty || flags == .nestParent || flags == .pasid else {
      throw Errno.eopnotsupp(
        "arm_smmu_domain_alloc_paging_flags: flags 0x\(hex(UInt64(flags.rawValue)))\(data == nil ? "" : " with user data") not supported"
      )
    }
  }

  public func attachPagingDomain(_ hwpt: HWPTPaging, device: IOMMUFDDevice) throws(Errno) -> PhysicalSTE? {
    hwpt.vmid.map { PhysicalSTE.stage2(vmid: $0) } ?? .stage1
  }

  public func deviceDetached(_ device: IOMMUFDDevice) {}
}
