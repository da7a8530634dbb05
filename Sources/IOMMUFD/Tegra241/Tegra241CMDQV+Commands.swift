import CMDQVRegisters

extension Tegra241CMDQV {
  /// `tegra241_guest_vcmdq_supports_cmd`: what a non-hypervisor-owned VCMDQ
  /// accepts (CMD_SYNC is appended by the issue path itself).
  static func guestQueueSupports(_ command: SMMUCommand) -> Bool {
    switch command.opcode {
    case .tlbiNHASID, .tlbiNHVA, .atcInv: true
    default: false
    }
  }

  /// `tegra241_cmdqv_get_cmdq`: the LVCMDQ of VINTF0 for `cpu`
  /// (`cpu % num_lvcmdqs_per_vintf`), or `nil` for the SMMU's main queue when
  /// bypassing, VINTF0 is not enabled, the LVCMDQ is missing or disabled, or
  /// it does not support `command`.
  public func queue(for command: SMMUCommand, cpu: Int = 0) -> Tegra241VCMDQ? {
    guard !bypassVCMDQ, let vintf = vintf0, vintf.enabled, numLVCMDQsPerVINTF > 0 else { return nil }
    guard let vcmdq = vintf.lvcmdqs[abs(cpu) % numLVCMDQsPerVINTF], vcmdq.enabled else { return nil }
    if vcmdq.guestFilter && !Self.guestQueueSupports(command) { return nil }
    return vcmdq
  }

  /// `arm_smmu_cmdq_issue_cmdlist` through the CMDQV: consecutive commands
  /// that pick the same queue go together; each batch ends with a CMD_SYNC
  /// when `sync` (CS=NONE and busy-polled on a VCMDQ).
  public func issue(_ commands: [SMMUCommand], sync: Bool = true, cpu: Int = 0) throws(Errno) {
    // An empty list with `sync` is a lone CMD_SYNC, routed like one.
    guard let first = commands.first else {
      if sync { try send([], on: queue(for: .sync(), cpu: cpu), sync: true) }
      return
    }
    var batch: [SMMUCommand] = []
    var batchQueue = queue(for: first, cpu: cpu)
    for command in commands {
      let q = queue(for: command, cpu: cpu)
      if !batch.isEmpty && q !== batchQueue {
        try send(batch, on: batchQueue, sync: sync)
        batch.removeAll()
      }
      batchQueue = q
      batch.append(command)
    }
    try send(batch, on: batchQueue, sync: sync)
  }

  /// One `arm_smmu_cmdq_issue_cmdlist` call on `vcmdq`, or on the SMMU's main
  /// queue when `nil`.
  func send(_ batch: [SMMUCommand], on vcmdq: Tegra241VCMDQ?, sync: Bool) throws(Errno) {
    if let producer = vcmdq?.producer {
      try producer.issue(batch, sync: sync, syncCS: 0)
    } else {
      try smmu.issue(batch, sync: sync)
    }
  }
}
