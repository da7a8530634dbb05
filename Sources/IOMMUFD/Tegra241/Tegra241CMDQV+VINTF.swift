import CMDQVRegisters

extension Tegra241CMDQV {
  /// `tegra241_vintf_hw_init`: reset the VINTF, enable it with its VMID and
  /// ownership, read HYP_OWN back, then map and enable its LVCMDQs in
  /// ascending order ("HW requires to map LVCMDQs in ascending order").
  func vintfHWInit(_ vintf: Tegra241VINTF, hypervisorOwned: Bool) throws(Errno) {
    vintfHWDeinit(vintf)
    var config = VINTFConfig(rawValue: 0)
    config.hypervisorOwned = hypervisorOwned
    config.vmid = vintf.vmid
    vintf.registers.config.write(config)
    config.enable = true
    try writeConfig(
      config: vintf.registers.config.offset, status: vintf.registers.status.offset, value: config.rawValue,
      what: "VINTF\(vintf.index): ", enabled: { vintf.enabled = $0 })
    vintf.hypervisorOwned = vintf.registers.config.read().hypervisorOwned
    for lidx in 0..<vintf.lvcmdqs.count {
      guard let vcmdq = vintf.lvcmdqs[lidx] else { continue }
      mapLVCMDQ(vcmdq)
      do {
        try vcmdqHWInit(vcmdq, vintf: vintf)
      } catch {
        vintfHWDeinit(vintf)
        throw error
      }
    }
  }

  /// `tegra241_vintf_hw_deinit`: deinit and unmap LVCMDQs in descending
  /// order, disable the VINTF, clear every SID_MATCH/SID_REPLACE pair.
  /// `void` in the kernel (tegra241-cmdqv.c, v6.17): a failed disable is
  /// logged by `tegra241_cmdqv_write_config` and the caller carries on, so
  /// a VINTF whose STATUS sticks at enabled does not fail the next
  /// `tegra241_vintf_hw_init` (its enable then sees STATUS already 1).
  func vintfHWDeinit(_ vintf: Tegra241VINTF) {
    var lidx = vintf.lvcmdqs.count
    while lidx > 0 {
      lidx -= 1
      guard let vcmdq = vintf.lvcmdqs[lidx] else { continue }
      vcmdqHWDeinit(vcmdq)
      unmapLVCMDQ(vcmdq)
    }
    try? writeConfig(
      config: vintf.registers.config.offset, status: vintf.registers.status.offset, value: 0,
      what: "VINTF\(vintf.index): ", enabled: { vintf.enabled = $0 })
    for sidx in 0..<numSIDsPerVINTF {
      vintf.registers.sidMatch(sidx).write(VINTFSIDMatch(rawValue: 0))
      vintf.registers.sidReplace(sidx).write(VINTFSIDReplace(rawValue: 0))
    }
  }

  /// `tegra241_vcmdq_map_lvcmdq`: CMDQ_ALLOC(idx) |= ALLOC (read-modify-write).
  func mapLVCMDQ(_ vcmdq: Tegra241VCMDQ) {
    registers.cmdqAlloc(vcmdq.index).modify { $0.allocated = true }
  }

  /// `tegra241_vcmdq_unmap_lvcmdq`: CMDQ_ALLOC(idx) &= ~ALLOC.
  func unmapLVCMDQ(_ vcmdq: Tegra241VCMDQ) {
    registers.cmdqAlloc(vcmdq.index).modify { $0.allocated = false }
  }

  /// `tegra241_vcmdq_hw_init` (kernel-owned): reset, program BASE, enable.
  func vcmdqHWInit(_ vcmdq: Tegra241VCMDQ, vintf: Tegra241VINTF) throws(Errno) {
    vcmdqHWDeinit(vcmdq)
    // v7.x (tegra241_vcmdq_hw_init): guest kernels filter commands once
    // HYP_OWN has been read back (v6.17 did it in tegra241_vcmdq_alloc_smmu_cmdq).
    vcmdq.guestFilter = !vintf.hypervisorOwned
    vcmdq.page1.base.write(VCMDQBase(rawValue: vcmdq.queueBase))
    vcmdq.producer?.resetPointers()
    do {
      try writeConfig(
        config: vcmdq.page0.config.offset, status: vcmdq.page0.status.offset, value: 1, what: vcmdq.header,
        enabled: { vcmdq.enabled = $0 })
    } catch {
      logQueueState(vcmdq)
      throw error
    }
  }

  /// `tegra241_vcmdq_hw_deinit`: disable (continue on failure), flush ATC
  /// timeouts with a CMD_SYNC on the SMMU's main queue, zero the pointers and
  /// bases, and acknowledge an uncleared error. The VCMDQ must still be mapped.
  func vcmdqHWDeinit(_ vcmdq: Tegra241VCMDQ) {
    do {
      try writeConfig(
        config: vcmdq.page0.config.offset, status: vcmdq.page0.status.offset, value: 0, what: vcmdq.header,
        enabled: { vcmdq.enabled = $0 })
    } catch {
      logQueueState(vcmdq)
    }
    flushTimeout(vcmdq)
    vcmdq.page0.prod.write(VCMDQProd(rawValue: 0))
    vcmdq.page0.cons.write(VCMDQCons(rawValue: 0))
    vcmdq.page1.base.write(VCMDQBase(rawValue: 0))
    vcmdq.page1.consIndxBase.write(VCMDQConsIndexBase(rawValue: 0))
    vcmdq.producer?.resetPointers()
    let gerrorn = vcmdq.page0.gerrorn.read().rawValue
    let gerror = vcmdq.page0.gerror.read().rawValue
    if gerror != gerrorn {
      warn("\(vcmdq.header)uncleared error detected, resetting")
      vcmdq.page0.gerrorn.write(VCMDQGErrorN(rawValue: gerror))
    }
  }

  /// `tegra241_vcmdq_hw_flush_timeout`: one CMD_SYNC (CS=NONE) through
  /// `arm_smmu_cmdq_issue_cmdlist(…, &smmu->cmdq, cmd_sync, 1, true)`.
  func flushTimeout(_ vcmdq: Tegra241VCMDQ) {
    do {
      try smmu.issue([.sync(cs: 0)], sync: true)
    } catch {
      warn("\(vcmdq.header)flush CMD_SYNC failed: \(error)")
    }
  }

  func logQueueState(_ vcmdq: Tegra241VCMDQ) {
    let gerrorn = vcmdq.page0.gerrorn.read().rawValue
    let gerror = vcmdq.page0.gerror.read().rawValue
    let cons = vcmdq.page0.cons.read().rawValue
    warn("\(vcmdq.header)GERRORN=0x\(String(gerrorn, radix: 16, uppercase: true)), GERROR=0x\(String(gerror, radix: 16, uppercase: true)), CONS=0x\(String(cons, radix: 16, uppercase: true))")
  }
}
