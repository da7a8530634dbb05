import CMDQVRegisters

/// `tegra241_cmdqv_viommu_ops` (plus `arm_vsmmu_cache_invalidate`): the ops
/// of a user vIOMMU backed by a VINTF.
final class Tegra241VINTFOps: VIOMMUOps {
  unowned let driver: Tegra241IOMMUDriver
  let vintf: Tegra241VINTF
  /// HW queue objects by LVCMDQ index, for depend/undepend.
  var queues: [Int: HWQueue] = [:]

  init(driver: Tegra241IOMMUDriver, vintf: Tegra241VINTF) {
    self.driver = driver
    self.vintf = vintf
  }

  var cmdqv: Tegra241CMDQV { driver.cmdqv }

  func destroy(_ viommu: VIOMMU) { driver.destroyUserVINTF(viommu, vintf) }

  // MARK: HWPT_ALLOC on the vIOMMU

  /// `tegra241_cmdqv_viommu_ops.alloc_domain_nested` is
  /// `arm_vsmmu_alloc_domain_nested` (tegra241-cmdqv.c, v6.17).
  var supportsNestedDomains: Bool { true }

  func allocDomainNested(_ viommu: VIOMMU, flags: HWPTAllocFlags, data: HWPTUserData) throws(Errno)
    -> any NestedDomain
  {
    try ARMSMMUv3NestedDomain.allocate(viommu: viommu, flags: flags, data: data)
  }

  // MARK: HWPT_INVALIDATE

  var supportsCacheInvalidate: Bool { true }

  /// `CMDQ_BATCH_ENTRIES` (BITS_PER_LONG).
  static let batchEntries = 64

  /// `arm_vsmmu_cache_invalidate` (arm-smmu-v3-iommufd.c, v6.17), in the
  /// kernel's order:
  /// 1. `kcalloc(entry_num, 16)` → `ENOMEM` (returned before `entry_num` is
  ///    touched, so the user gets its own `entry_num` back);
  /// 2. `iommu_copy_struct_from_full_user_array(…,
  ///    IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3)`: another `data_type` or
  ///    `entry_num` 0 → `EINVAL`, a non-zero tail of a longer entry → `E2BIG`,
  ///    a fault → `EFAULT` (`entry_num` 0 written back);
  /// 3. convert each command (`arm_vsmmu_convert_user_cmd`) and issue the
  ///    converted ones on the SMMU's main queue in blocks of
  ///    `CMDQ_BATCH_ENTRIES - 1`, each with a CMD_SYNC. The first command that
  ///    cannot be converted stops with `EIO` and `entry_num` = its index; as in
  ///    the kernel (`goto out`), the converted commands of the unfinished block
  ///    are not issued. An issue failure reports `entry_num` one less than the
  ///    end of its block (`cur--`).
  func cacheInvalidate(_ viommu: VIOMMU, array: inout UserDataArray) throws(Errno) {
    try array.kcalloc(entrySize: 16)
    var cur = 0
    defer { array.entryNum = UInt32(cur) }
    let entries = try array.copyFullArray(entrySize: 16, type: UserDataArray.typeARMSMMUv3)
    var converted = entries.map { SMMUCommand(bytes: $0) }
    var last = 0
    while cur != converted.count {
      converted[cur] = try convert(converted[cur], viommu: viommu)
      cur += 1
      if cur != converted.count && cur - last != Self.batchEntries - 1 { continue }
      do {
        try cmdqv.smmu.issue(Array(converted[last..<cur]), sync: true)
      } catch {
        cur -= 1
        throw error
      }
      last = cur
    }
  }

  /// `arm_vsmmu_convert_user_cmd`: forces the vIOMMU's VMID on TLBI commands
  /// and replaces a vSID by the device's physical StreamID; any other opcode
  /// is `EIO`.
  func convert(_ command: SMMUCommand, viommu: VIOMMU) throws(Errno) -> SMMUCommand {
    var cmd = command
    switch command.opcode {
    case .tlbiNSNHAll:
      // The whole command is rebuilt: NH_ALL with the VMID, cmd[1] = 0.
      cmd = .tlbiNHAll(vmid: vintf.vmid)
    case .tlbiNHVA, .tlbiNHVAA, .tlbiNHAll, .tlbiNHASID:
      cmd.vmid = vintf.vmid
    case .atcInv, .cfgiCD, .cfgiCDAll:
      let vsid = UInt64(command.streamID)
      guard let vdev = viommu.context?.findVDevice(viommu: viommu, virtID: vsid), let psid = vdev.device.streamIDs.first
      else {
        throw Errno.eio("arm_vsmmu_convert_user_cmd: no vDEVICE with virtual ID 0x\(String(vsid, radix: 16))")
      }
      cmd.streamID = psid
    default:
      throw Errno.eio("arm_vsmmu_convert_user_cmd: opcode 0x\(String(command.opcodeByte, radix: 16)) (\(command.opcode?.mnemonic ?? "unknown")) is not accepted")
    }
    return cmd
  }

  // MARK: vDEVICE

  var vdeviceSize: Int { 72 }
  var supportsVDeviceInit: Bool { true }

  /// `tegra241_vintf_init_vsid`.
  func vdeviceInit(_ vdevice: VDevice) throws(Errno) {
    let slot = try cmdqv.initVSID(vintf, virtualSID: vdevice.virtID, streamIDs: vdevice.device.streamIDs)
    let cmdqv = self.cmdqv
    let vintf = self.vintf
    vdevice.destroy = { _ in cmdqv.destroyVSID(vintf, slot: slot) }
  }

  // MARK: HW queues

  var supportsHWQueues: Bool { true }

  /// `tegra241_vintf_get_lvcmdq_size`.
  func hwQueueSize(_ viommu: VIOMMU, type: UInt32) -> Int {
    type == Tegra241IOMMUDriver.hwQueueTypeTegra241CMDQV ? 96 : 0
  }

  /// `tegra241_vintf_alloc_lvcmdq_user`.
  func hwQueueInitPhys(_ queue: HWQueue, index: UInt32, basePhysicalAddress: UInt64) throws(Errno) {
    guard queue.queueType == Tegra241IOMMUDriver.hwQueueTypeTegra241CMDQV else {
      throw Errno.eopnotsupp("tegra241_vintf_alloc_lvcmdq_user: HW queue type \(queue.queueType) is not TEGRA241_CMDQV")
    }
    let context = queue.viommu.context
    let lidx = Int(clamping: index)
    let vcmdq = try cmdqv.allocUserLVCMDQ(
      vintf, lidx: lidx, basePA: basePhysicalAddress, length: queue.length,
      depend: { [queues] prev throws(Errno) in
        guard let prevQueue = queues[prev.lidx], let context else {
          throw Errno.einval("iommufd_hw_queue_depend: LVCMDQ\(prev.lidx) has no HW queue object")
        }
        try context.depend(queue, on: prevQueue)
      },
      undepend: { [queues] prev in
        if let prevQueue = queues[prev.lidx] { context?.undepend(queue, on: prevQueue) }
      })
    queues[lidx] = queue
    queue.driverData = vcmdq
    queue.destroy = { [weak self] q in
      guard let self else { return }
      self.cmdqv.destroyUserLVCMDQ(vcmdq) { prev in
        if let prevQueue = self.queues[prev.lidx] { q.viommu.context?.undepend(q, on: prevQueue) }
      }
      self.queues[lidx] = nil
    }
  }
}
