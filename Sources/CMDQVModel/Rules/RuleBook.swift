import CMDQVRegisters

/// Every programming rule the model checks, in ``RuleID`` order. Docs/Rules.md
/// is generated from this table (a test fails when the two differ).
///
/// Sources name the kernel function whose sequence or comment states the
/// rule (drivers/iommu/arm/arm-smmu-v3/, v6.17 unless said otherwise). Where
/// the kernel only shows an order and does not say silicon needs it, the
/// statement says "the kernel's order" and Docs/HardwareModel.md records the
/// choice under "Inferred behaviour".
public enum RuleBook {
  /// One second of driver time: `ARM_SMMU_POLL_TIMEOUT_US`, the budget of
  /// every `readl_poll_timeout` in `tegra241_cmdqv_write_config` and
  /// `arm_smmu_write_reg_sync`. A handshake still pending after it is the
  /// hardware's failure (the driver times out and carries on), not the driver's.
  public static let pollBudgetMicroseconds: UInt64 = 1_000_000

  public static let rules: [Rule] = [
    // MARK: Handshakes
    Rule(
      id: .cmdqvRetoggle, family: .handshakes,
      statement: "CMDQV_CONFIG.CMDQV_EN must not change again before CMDQV_STATUS.CMDQV_ENABLED has followed the previous change.",
      source: "tegra241-cmdqv.c: tegra241_cmdqv_write_config (write CONFIG, poll STATUS until it matches), tegra241_cmdqv_hw_reset, v6.17",
      observes: "a CMDQV_CONFIG write whose EN differs from a transition still pending and younger than ARM_SMMU_POLL_TIMEOUT_US",
      example: "hw_reset writes CONFIG=0 and at once CONFIG=1 without polling STATUS in between"),
    Rule(
      id: .vintfRetoggle, family: .handshakes,
      statement: "VINTF_CONFIG.EN must not change again before VINTF_STATUS.ENABLE_OK has followed the previous change.",
      source: "tegra241-cmdqv.c: tegra241_cmdqv_write_config via vintf_write_config, tegra241_vintf_hw_init/hw_deinit, v6.17",
      observes: "a VINTF_CONFIG write whose EN differs from a transition still pending and younger than ARM_SMMU_POLL_TIMEOUT_US",
      example: "a VINTF is enabled and disabled again before ENABLE_OK was seen"),
    Rule(
      id: .vcmdqRetoggle, family: .handshakes,
      statement: "VCMDQ_CONFIG.CMDQ_EN must not change again before VCMDQ_STATUS.CMDQ_EN_OK has followed the previous change.",
      source: "tegra241-cmdqv.c: tegra241_cmdqv_write_config via vcmdq_write_config, tegra241_vcmdq_hw_init/hw_deinit, v6.17",
      observes: "a VCMDQ_CONFIG write (host or guest page) whose CMDQ_EN differs from a transition still pending and younger than ARM_SMMU_POLL_TIMEOUT_US",
      example: "a guest enables its LVCMDQ and disables it before CMDQ_EN_OK reads 1"),
    Rule(
      id: .smmuCR0Retoggle, family: .handshakes,
      statement: "SMMU CR0 must not change again before CR0ACK has followed the previous write.",
      source: "arm-smmu-v3.c: arm_smmu_write_reg_sync (write CR0, poll CR0ACK until equal), arm_smmu_device_reset, v6.17",
      observes: "an SMMU CR0 write with a new value while the previous one is still pending in CR0ACK (younger than ARM_SMMU_POLL_TIMEOUT_US)",
      example: "CR0=0 immediately followed by CR0=CMDQEN without waiting for CR0ACK"),
    Rule(
      id: .vintfEnableCMDQVOff, family: .handshakes,
      statement: "A VINTF is enabled only while CMDQV is enabled (CMDQV_STATUS.CMDQV_ENABLED=1): the kernel's order.",
      source: "tegra241-cmdqv.c: tegra241_cmdqv_hw_reset (enable CMDQV, then tegra241_vintf_hw_init), v6.17",
      observes: "a VINTF_CONFIG write setting EN (0→1) while CMDQV_STATUS.CMDQV_ENABLED is 0",
      example: "VINTF0 is enabled before CMDQV_CONFIG.CMDQV_EN was set, or while CMDQV is being reset"),
    Rule(
      id: .vcmdqEnableVINTFOff, family: .handshakes,
      statement: "A VCMDQ is enabled only while its VINTF is enabled (VINTF_STATUS.ENABLE_OK=1): the kernel's order.",
      source: "tegra241-cmdqv.c: tegra241_vintf_hw_init (vintf_write_config(EN) before tegra241_vcmdq_hw_init), v6.17",
      observes: "a VCMDQ_CONFIG write setting CMDQ_EN (0→1) while the VINTF it is assigned to does not report ENABLE_OK",
      example: "a driver brings up its LVCMDQs before enabling the VINTF"),
    // MARK: VCMDQ life cycle
    Rule(
      id: .vcmdqEnableUnmapped, family: .vcmdqLifeCycle,
      statement: "A VCMDQ is enabled only while it is mapped to its LVCMDQ (CMDQ_ALLOC.ALLOC=1).",
      source: "tegra241-cmdqv.c: tegra241_vcmdq_hw_init (\"This function is for LVCMDQ, so @vcmdq must be mapped prior\"), v6.17",
      observes: "a VCMDQ_CONFIG write setting CMDQ_EN (0→1) while CMDQ_ALLOC(q).ALLOC is 0",
      example: "tegra241_vintf_hw_init calls tegra241_vcmdq_hw_init before tegra241_vcmdq_map_lvcmdq"),
    Rule(
      id: .vcmdqEnableInvalidBase, family: .vcmdqLifeCycle,
      statement: "VCMDQ_BASE holds a non-zero address aligned to the queue size before CMDQ_EN is set.",
      source: "tegra241-cmdqv.c: tegra241_vcmdq_hw_init (writeq q_base, then vcmdq_write_config(VCMDQ_EN)), tegra241_vintf_alloc_lvcmdq_user (base_addr_pa aligned to length), v6.17",
      observes: "a VCMDQ_CONFIG write setting CMDQ_EN (0→1) while BASE.ADDR is zero or not aligned to 16 × 2^LOG2SIZE bytes",
      example: "a guest enables an LVCMDQ the VMM never gave a queue (BASE still 0): the queue fails with CMDQ_INIT_ERR"),
    Rule(
      id: .vcmdqPage1WhileEnabled, family: .vcmdqLifeCycle,
      statement: "VCMDQ_BASE and VCMDQ_CONS_INDX_BASE are written only while the VCMDQ is disabled.",
      source: "tegra241-cmdqv.c: tegra241_vcmdq_hw_init / tegra241_vcmdq_hw_deinit (page1 written only with CMDQ_EN clear); QEMU NVIDIA hw/arm/tegra241-cmdqv.c ignores BASE writes while the VCMDQ is enabled",
      observes: "a BASE or CONS_INDX_BASE write while CONFIG.CMDQ_EN is 1 or a disable is still pending",
      example: "a VMM reprograms BASE of a queue the guest is still running"),
    Rule(
      id: .vcmdqConsWhileEnabled, family: .vcmdqLifeCycle,
      statement: "Software writes VCMDQ_CONS only while the VCMDQ is disabled: CONS belongs to the hardware while the queue runs.",
      source: "tegra241-cmdqv.c: tegra241_vcmdq_hw_deinit (CONS=0 after vcmdq_write_config(0)); SMMUv3 queue protocol as arm-smmu-v3.c: arm_smmu_device_reset writes CMDQ_CONS only with CMDQEN clear, v6.17",
      observes: "a VCMDQ_CONS write while CONFIG.CMDQ_EN is 1 or a disable is still pending",
      example: "a guest 'skips' a bad command by bumping CONS instead of rewriting the entry"),
    Rule(
      id: .vcmdqUnmapEnabled, family: .vcmdqLifeCycle,
      statement: "A VCMDQ is disabled (CMDQ_EN=0, CMDQ_EN_OK seen 0) before it is unmapped from its LVCMDQ.",
      source: "tegra241-cmdqv.c: tegra241_vcmdq_hw_deinit (\"This function is for LVCMDQ, so @vcmdq must not be unmapped yet\") then tegra241_vcmdq_unmap_lvcmdq, v6.17",
      observes: "a CMDQ_ALLOC write clearing ALLOC (1→0) while the VCMDQ's CONFIG.CMDQ_EN is 1 or its disable is still pending",
      example: "tegra241_vintf_hw_deinit unmaps before calling tegra241_vcmdq_hw_deinit"),
    Rule(
      id: .vcmdqUnmapNotReset, family: .vcmdqLifeCycle,
      statement: "Before a VCMDQ is unmapped its PROD, CONS, BASE and CONS_INDX_BASE are zeroed, so the next owner starts clean: the kernel's order.",
      source: "tegra241-cmdqv.c: tegra241_vcmdq_hw_deinit (PROD=0, CONS=0, BASE=0, CONS_INDX_BASE=0) before tegra241_vcmdq_unmap_lvcmdq, v6.17",
      observes: "a CMDQ_ALLOC write clearing ALLOC (1→0) while PROD or CONS (index and wrap), BASE or CONS_INDX_BASE is non-zero (judged on a disabled VCMDQ; unmapping an enabled one reports VCMDQ-UNMAP-ENABLED alone)",
      example: "a teardown that disables and unmaps a VM's queue but leaves its PROD/CONS/BASE for the next VM"),
    // MARK: Allocation
    Rule(
      id: .lvcmdqMapAscending, family: .allocation,
      statement: "LVCMDQs of a VINTF are mapped in ascending order: LVCMDQ n is mapped only while LVCMDQ n-1 is mapped.",
      source: "tegra241-cmdqv.c: tegra241_vintf_hw_init (\"HW requires to map LVCMDQs in ascending order\"); include/uapi/linux/iommufd.h IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV, v6.17",
      observes: "a CMDQ_ALLOC write setting ALLOC (0→1) for (VINTF v, LVCMDQ n > 0) while no VCMDQ assigned to (v, n-1) is mapped",
      example: "raw host writes map LVCMDQ1 of VINTF1 while LVCMDQ0 is unmapped"),
    Rule(
      id: .lvcmdqUnmapDescending, family: .allocation,
      statement: "LVCMDQs of a VINTF are unmapped in descending order: LVCMDQ n is unmapped only while LVCMDQ n+1 is unmapped.",
      source: "tegra241-cmdqv.c: tegra241_vintf_hw_deinit (\"HW requires to unmap LVCMDQs in descending order\"); include/uapi/linux/iommufd.h IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV, v6.17",
      observes: "a CMDQ_ALLOC write clearing ALLOC (1→0) for (VINTF v, LVCMDQ n) while a VCMDQ assigned to (v, n+1) is still mapped",
      example: "a teardown loop that walks LVCMDQs upwards"),
    Rule(
      id: .lvcmdqMapVINTFDisabled, family: .allocation,
      statement: "An LVCMDQ is mapped only while its VINTF is enabled (VINTF_STATUS.ENABLE_OK=1): the kernel's order.",
      source: "tegra241-cmdqv.c: tegra241_vintf_hw_init (enable the VINTF, then tegra241_vcmdq_map_lvcmdq), tegra241_vintf_alloc_lvcmdq_user (VINTF enabled at vIOMMU allocation), v6.17",
      observes: "a CMDQ_ALLOC write setting ALLOC (0→1) while the VINTF named by its VIRT_INTF_INDX does not report ENABLE_OK",
      example: "a VMM allocates HW queues before the VINTF is enabled"),
    Rule(
      id: .vintfDisableMapped, family: .allocation,
      statement: "A VINTF is disabled only after all its LVCMDQs are unmapped: the kernel's order.",
      source: "tegra241-cmdqv.c: tegra241_vintf_hw_deinit (unmap every LVCMDQ, then vintf_write_config(vintf, 0)), v6.17",
      observes: "a VINTF_CONFIG write clearing EN (1→0) while a VCMDQ assigned to that VINTF has CMDQ_ALLOC.ALLOC=1",
      example: "a vIOMMU destroy that disables the VINTF while its HW queues are still mapped"),
    Rule(
      id: .allocReassignMapped, family: .allocation,
      statement: "CMDQ_ALLOC's VIRT_INTF_INDX and LVCMDQ fields change only while the VCMDQ is unmapped (ALLOC=0): the kernel's order.",
      source: "tegra241-cmdqv.c: tegra241_cmdqv_hw_reset (static assignment with ALLOC clear), tegra241_vcmdq_map_lvcmdq / unmap_lvcmdq (read-modify-write of ALLOC only), v6.17",
      observes: "a CMDQ_ALLOC write that changes VIRT_INTF_INDX or LVCMDQ while the register's ALLOC bit was 1",
      example: "a driver moves a mapped VCMDQ to another VINTF in one write"),
    Rule(
      id: .vintfReconfigEnabled, family: .allocation,
      statement: "VINTF_CONFIG.VMID and HYP_OWN change only while the VINTF is disabled (written with EN=0, then EN set): the kernel's order.",
      source: "tegra241-cmdqv.c: tegra241_vintf_hw_init (reset, write CONFIG=HYP_OWN|VMID, then CONFIG|EN), v6.17",
      observes: "a VINTF_CONFIG write that keeps EN=1 on an enabled VINTF but changes VMID or HYP_OWN",
      example: "a VMM reuses an enabled VINTF for another VM by rewriting its VMID"),
    // MARK: StreamIDs
    Rule(
      id: .sidReplaceWhileMatched, family: .streamIDs,
      statement: "SID_REPLACE(s) changes only while SID_MATCH(s) is disabled: a match is never live with a replacement that is not its own.",
      source: "tegra241-cmdqv.c: tegra241_vintf_init_vsid (SID_REPLACE, then SID_MATCH|ENABLE), tegra241_vintf_destroy_vsid (SID_MATCH=0, then SID_REPLACE=0), v6.17",
      observes: "a SID_REPLACE(s) write that changes its value while SID_MATCH(s).ENABLE is 1",
      example: "vdevice init writes SID_MATCH before SID_REPLACE, or destroy clears SID_REPLACE first"),
    Rule(
      id: .sidMatchRetargetLive, family: .streamIDs,
      statement: "An enabled SID_MATCH(s) is disabled before it is given another virtual StreamID.",
      source: "tegra241-cmdqv.c: tegra241_vintf_destroy_vsid (SID_MATCH=0) before the slot is reused by tegra241_vintf_init_vsid, v6.17",
      observes: "a SID_MATCH(s) write that keeps ENABLE=1 on an enabled slot but changes VIRT_SID",
      example: "a VMM retargets a slot to a new vSID in one write, leaving the old pSID behind it"),
    Rule(
      id: .sidMatchDuplicate, family: .streamIDs,
      statement: "Two enabled SID_MATCH slots of one VINTF never hold the same virtual StreamID: the iommufd core guarantees it, the hardware's choice between them is unknown.",
      source: "iommufd viommu.c: iommufd_vdevice_alloc_ioctl (virt_id unique per vIOMMU, -EEXIST), tegra241-cmdqv.c: tegra241_vintf_init_vsid, v6.17",
      observes: "a SID_MATCH(s) write enabling a VIRT_SID that another enabled slot of the same VINTF already matches",
      example: "a driver binds two devices to one vSID; commands would reach whichever slot the hardware picks"),
    // MARK: Errors
    Rule(
      id: .errorAckNotPending, family: .errors,
      statement: "GERRORN is written with the current GERROR value: an acknowledgement only toggles bits whose error is pending.",
      source: "tegra241-cmdqv.c: tegra241_vintf0_handle_error and tegra241_vcmdq_hw_deinit (writel(gerror, GERRORN)); arm-smmu-v3.c: arm_smmu_gerror_handler, v6.17",
      observes: "a VCMDQ_GERRORN or SMMU GERRORN write that makes GERROR ^ GERRORN non-zero on a bit where it was zero",
      example: "a driver writes GERRORN=1 when no error is pending (or ~GERROR), raising an error nobody reported"),
    Rule(
      id: .errorEnablePending, family: .errors,
      statement: "A VCMDQ is enabled only with no error pending (GERROR = GERRORN).",
      source: "tegra241-cmdqv.c: tegra241_vcmdq_hw_deinit (\"uncleared error detected, resetting\": ack before reuse), tegra241_vcmdq_hw_init, v6.17",
      observes: "a VCMDQ_CONFIG write setting CMDQ_EN (0→1) while GERROR ^ GERRORN is non-zero",
      example: "a queue that failed is disabled and enabled again without acknowledging its error"),
    Rule(
      id: .errorUnmapPending, family: .errors,
      statement: "A VCMDQ's pending error is acknowledged before it is unmapped (handed back for reuse).",
      source: "tegra241-cmdqv.c: tegra241_vcmdq_hw_deinit (ack GERROR into GERRORN) before tegra241_vcmdq_unmap_lvcmdq, v6.17",
      observes: "a CMDQ_ALLOC write clearing ALLOC (1→0) while the VCMDQ's GERROR ^ GERRORN is non-zero (judged on a disabled VCMDQ; unmapping an enabled one reports VCMDQ-UNMAP-ENABLED alone)",
      example: "a HW queue destroy that skips the 'uncleared error' acknowledgement"),
    Rule(
      id: .errorHostAckGuestQueue, family: .errors,
      statement: "The host does not acknowledge the error of a running guest-owned queue: the guest handles it through its page0.",
      source: "tegra241-cmdqv.c: tegra241_vintf_user_handle_error (reports lvcmdq_err_map to the VMM, no GERRORN write), tegra241_vcmdq_hw_deinit (ack only after disabling), v6.17",
      observes: "a host GERRORN write that clears a pending error of a VCMDQ of a user VINTF (index ≥ 1, HYP_OWN=0) while that VCMDQ's CONFIG.CMDQ_EN is 1 (VINTF0 is the kernel's own, also in a guest kernel where HYP_OWN reads 0)",
      example: "a host ISR that treats a user VINTF like VINTF0 and acknowledges the guest's queue"),
    // MARK: Queue memory
    Rule(
      id: .queueWriteOwned, family: .queueMemory,
      statement: "Entries between CONS and PROD of an enabled queue belong to the hardware: software writes them only before publishing them with PROD.",
      source: "arm-smmu-v3.c: arm_smmu_cmdq_issue_cmdlist (write entries into free space, then publish PROD) and __arm_smmu_cmdq_skip_err (rewrites only the entry at CONS, while CMDQ_ERR stalls the queue), v6.17",
      observes: "a software write to physical memory overlapping an entry in [CONS, PROD) of an enabled VCMDQ or SMMU CMDQ, except the entry at CONS while CMDQ_ERR is pending",
      example: "a driver rewrites a command after ringing PROD, racing the hardware's fetch"),
    Rule(
      id: .queueProdOverrun, family: .queueMemory,
      statement: "PROD is never published more than one ring ahead of CONS.",
      source: "arm-smmu-v3.c: arm_smmu_cmdq_issue_cmdlist / queue_has_space (wait for space before advancing PROD), v6.17",
      observes: "a PROD write on an enabled queue where (PROD − CONS) modulo 2 × entries, with the wrap bit, exceeds the number of entries",
      example: "a producer that ignores CONS and overwrites commands the hardware has not consumed"),
    Rule(
      id: .queueProdRetreat, family: .queueMemory,
      statement: "PROD only moves forward while the queue is enabled: published entries are never withdrawn.",
      source: "arm-smmu-v3.c: arm_smmu_cmdq_issue_cmdlist (PROD only advances), tegra241-cmdqv.c: tegra241_vcmdq_hw_deinit (PROD=0 only after disabling), v6.17",
      observes: "a PROD write on an enabled queue that leaves fewer entries between CONS and PROD than before (without overrunning)",
      example: "a driver resets its shadow PROD while the queue is still enabled"),
    // MARK: Flushes
    Rule(
      id: .flushBeforeUnmap, family: .flushes,
      statement: "After a VCMDQ that executed commands is disabled, a CMD_SYNC completes on the SMMU main CMDQ before the VCMDQ is unmapped (reused).",
      source: "tegra241-cmdqv.c: tegra241_vcmdq_hw_flush_timeout (\"a guest-owned VCMDQ must flush the TIMEOUT when it gets disabled … issuing a CMD_SYNC to SMMU CMDQ\"), tegra241_vcmdq_hw_deinit, v6.17",
      observes: "a CMDQ_ALLOC write clearing ALLOC (1→0) for a VCMDQ that executed commands since it was last enabled, when no CMD_SYNC has executed on the SMMU CMDQ since its CMDQ_EN was cleared (judged on a disabled VCMDQ; unmapping an enabled one reports VCMDQ-UNMAP-ENABLED alone)",
      example: "a teardown copied from an older kernel (no tegra241_vcmdq_hw_flush_timeout) hands the queue to the next VM"),
    // MARK: SMMU main CMDQ
    Rule(
      id: .smmuCMDQBaseWhileEnabled, family: .smmuQueue,
      statement: "SMMU CMDQ_BASE is written only while CR0.CMDQEN and CR0ACK.CMDQEN are 0.",
      source: "arm-smmu-v3.c: arm_smmu_device_reset (CR0=0 via arm_smmu_write_reg_sync before writing CMDQ_BASE), v6.17",
      observes: "a CMDQ_BASE write while CR0.CMDQEN is 1 or its clearing is still pending in CR0ACK",
      example: "a reset path that moves the command queue without disabling it"),
    Rule(
      id: .smmuCMDQConsWhileEnabled, family: .smmuQueue,
      statement: "Software writes SMMU CMDQ_CONS only while the command queue is disabled.",
      source: "arm-smmu-v3.c: arm_smmu_device_reset (CMDQ_PROD/CMDQ_CONS written with CMDQEN clear), v6.17",
      observes: "a CMDQ_CONS write while CR0.CMDQEN is 1 or its clearing is still pending in CR0ACK",
      example: "an error handler that skips a bad command by writing CONS"),
  ]

  private static let byID: [RuleID: Rule] = Dictionary(uniqueKeysWithValues: rules.map { ($0.id, $0) })

  /// The rule with `id`.
  public static func rule(_ id: RuleID) -> Rule { byID[id]! }
}
