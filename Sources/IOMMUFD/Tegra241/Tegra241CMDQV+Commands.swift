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
    var batch: [SMMUCommand] = []
    var batchQueue: Tegra241VCMDQ?
    func flush() throws(Errno) {
      guard !batch.isEmpty else { return }
      if let q = batchQueue, let producer = q.producer {
        try producer.issue(batch, sync: sync, syncCS: 0)
      } else {
        try smmu.issue(batch, sync: sync)
      }
      batch.removeAll()
    }
    for command in commands {
      let q = queue(for: command, cpu: cpu)
      if !batch.isEmpty && q !== batchQueue { try flush() }
      batchQueue = q
      batch.append(command)
    }
    if commands.isEmpty && sync {
      batchQueue = queue(for: .sync(), cpu: cpu)
      if let q = batchQueue, let producer = q.producer {
        try producer.issue([], sync: true, syncCS: 0)
      } else {
        try smmu.issue([], sync: true)
      }
      return
    }
    try flush()
  }
}
