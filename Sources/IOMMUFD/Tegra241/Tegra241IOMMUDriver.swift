import CMDQVRegisters

/// The arm-smmu-v3 iommu driver with the Tegra241 CMDQV implementation, as
/// iommufd sees it (`arm_smmu_ops` + `tegra241_cmdqv_impl_ops`): hw_info,
/// vIOMMU sizes and `viommu_init` (`arm_vsmmu_init` →
/// `tegra241_cmdqv_init_vintf_user`).
public final class Tegra241IOMMUDriver: IOMMUDriver {
  public let name: String
  public let cmdqv: Tegra241CMDQV
  /// Physical address of the CMDQV MMIO base (`cmdqv->base_phys`), used for
  /// the mmap of a VINTF's page0.
  public let cmdqvBasePhysical: UInt64
  /// StreamIDs this SMMU translates for.
  public let streamIDs: ClosedRange<UInt32>
  public let vmids = VMIDAllocator(bits: 16)
  /// Live user vIOMMUs by VINTF index, for the ISR's vEVENT reports.
  var viommus: [Int: VIOMMU] = [:]

  /// `enum iommu_viommu_type`.
  public static let viommuTypeARMSMMUv3: UInt32 = 1
  public static let viommuTypeTegra241CMDQV: UInt32 = 2
  /// `enum iommu_hw_info_type`.
  public static let hwInfoTypeARMSMMUv3: UInt32 = 2
  public static let hwInfoTypeTegra241CMDQV: UInt32 = 3
  /// `IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV`.
  public static let hwQueueTypeTegra241CMDQV: UInt32 = 1
  /// `IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV`.
  public static let veventqTypeTegra241CMDQV: UInt32 = 2
  /// `VIOMMU_STRUCT_SIZE(struct tegra241_vintf, vsmmu.core)` in this model.
  public static let vintfStructSize = 256

  public init(
    name: String = "smmu0", cmdqv: Tegra241CMDQV, cmdqvBasePhysical: UInt64,
    streamIDs: ClosedRange<UInt32> = 0...0xF_FFFF
  ) {
    self.name = name
    self.cmdqv = cmdqv
    self.cmdqvBasePhysical = cmdqvBasePhysical
    self.streamIDs = streamIDs
    cmdqv.reportUserError = { [weak self] vintf, maps in self?.reportUserError(vintf, maps) }
  }

  public func ownsStreamID(_ streamID: UInt32) -> Bool { streamIDs.contains(streamID) }

  /// `arm_smmu_hw_info`: the default and ARM_SMMUV3 types give the SMMU's
  /// `struct iommu_hw_info_arm_smmuv3` (IDR1 filled in here); type 3 gives
  /// `tegra241_cmdqv_hw_info`; anything else is EOPNOTSUPP.
  public func hwInfo(device: IOMMUFDDevice, type: UInt32) throws(Errno) -> HWInfo {
    switch type {
    case 0, Self.hwInfoTypeARMSMMUv3:
      var data = [UInt8](repeating: 0, count: 40)
      let idr1 = SMMUv3Registers(bus: cmdqv.smmu.bus).idr1.read().rawValue
      for i in 0..<4 { data[12 + i] = UInt8(truncatingIfNeeded: idr1 >> (8 * UInt32(i))) }
      return HWInfo(type: Self.hwInfoTypeARMSMMUv3, data: data)
    case Self.hwInfoTypeTegra241CMDQV:
      return HWInfo(type: type, data: cmdqv.hwInfo())
    default:
      throw Errno.eopnotsupp("hw_info: type \(type) is not ARM_SMMUV3 (2) or TEGRA241_CMDQV (3)")
    }
  }

  /// `arm_smmu_get_viommu_size` → `tegra241_cmdqv_get_vintf_size`: only the
  /// TEGRA241_CMDQV type is modelled (a plain ARM_SMMUV3 vIOMMU is not).
  public func viommuSize(device: IOMMUFDDevice, type: UInt32) -> Int {
    type == Self.viommuTypeTegra241CMDQV ? Self.vintfStructSize : 0
  }

  /// `arm_vsmmu_init` + `tegra241_cmdqv_init_vintf_user`, errors in order:
  /// parent from another SMMU (EINVAL), type mismatch (EOPNOTSUPP), no user
  /// data (EINVAL), user data not exactly the 16-byte
  /// `struct iommu_viommu_tegra241_cmdqv` (EINVAL), no free VINTF (ENOSPC),
  /// enable timeout (ETIMEDOUT), mmap registration errors. The unwind runs in
  /// reverse, so a failure leaves no VINTF behind.
  public func viommuInit(_ viommu: VIOMMU, userData: [UInt8]) throws(Errno) -> VIOMMUDriverOutput {
    guard viommu.hwpt.driver === self else {
      throw Errno.einval("arm_vsmmu_init: the nesting parent belongs to another SMMU")
    }
    guard viommu.viommuType == Self.viommuTypeTegra241CMDQV else {
      throw Errno.eopnotsupp("tegra241_cmdqv_init_vintf_user: vIOMMU type \(viommu.viommuType) is not TEGRA241_CMDQV")
    }
    guard !userData.isEmpty else {
      throw Errno.einval("tegra241_cmdqv_init_vintf_user: struct iommu_viommu_tegra241_cmdqv is required")
    }
    guard userData.count == 16 else {
      throw Errno.einval("iommu_copy_struct_from_user: data length \(userData.count) is not 16 (struct iommu_viommu_tegra241_cmdqv)")
    }
    let vmid = viommu.hwpt.vmid ?? 0
    let vintf = try cmdqv.allocUserVINTF(vmid: vmid)
    let region = cmdqv.page0Region(of: vintf)
    guard let context = viommu.context else {
      cmdqv.removeVINTF(vintf)
      throw Errno.einval("viommu has no iommufd context")
    }
    let offset: UInt64
    do {
      offset = try context.allocMMap(viommu: viommu, physicalAddress: cmdqvBasePhysical + region.offset, length: region.length)
    } catch {
      cmdqv.removeVINTF(vintf)
      throw error
    }
    cmdqv.setMMapOffset(offset, of: vintf)
    viommus[vintf.index] = viommu
    viommu.driverData = vintf
    viommu.ops = Tegra241VINTFOps(driver: self, vintf: vintf)
    return VIOMMUDriverOutput(data: Tegra241VIOMMUData(vintfMMapOffset: offset, vintfMMapLength: region.length).bytes)
  }

  /// `tegra241_cmdqv_destroy_vintf_user`: destroy the mmap, deinit the VINTF,
  /// free its index.
  func destroyUserVINTF(_ viommu: VIOMMU, _ vintf: Tegra241VINTF) {
    if vintf.mmapOffset != 0 { viommu.context?.destroyMMap(viommu: viommu, offset: vintf.mmapOffset) }
    cmdqv.removeVINTF(vintf)
    viommus[vintf.index] = nil
  }

  /// `tegra241_vintf_user_handle_error`: both LVCMDQ error maps as
  /// `struct iommu_vevent_tegra241_cmdqv` (16 little-endian bytes).
  func reportUserError(_ vintf: Tegra241VINTF, _ maps: [UInt64]) {
    guard let viommu = viommus[vintf.index], let context = viommu.context else { return }
    var data: [UInt8] = []
    for map in maps { data += (0..<8).map { UInt8(truncatingIfNeeded: map >> (8 * UInt64($0))) } }
    // EOPNOTSUPP (no vEVENTQ of this type) is ignored, as the ISR does.
    try? context.reportEvent(viommu: viommu, type: Self.veventqTypeTegra241CMDQV, data: data)
  }
}
