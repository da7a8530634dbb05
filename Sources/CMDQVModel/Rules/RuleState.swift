/// What the rules remember between accesses: when each handshake started,
/// what each VCMDQ did since it was last enabled, and CMD_SYNCs on the SMMU
/// queue (for the flush rule). Also feeds ``CMDQVDevice/diagnoseStalls()``.
struct RuleState {
  /// Cycle at which the pending CONFIG→STATUS transition was requested.
  var cmdqvSince: UInt64 = 0
  var smmuCR0Since: UInt64 = 0
  var vintfSince: [UInt64]
  var vcmdqSince: [UInt64]
  /// `executedCount` of each VCMDQ when its CMDQ_EN was last set.
  var executedAtEnable: [Int]
  /// Whether CMDQ_EN was cleared after it was last set.
  var disabledSinceEnable: [Bool]
  /// ``smmuSyncs`` when each VCMDQ's CMDQ_EN was last cleared.
  var syncsAtDisable: [UInt64]
  /// CMD_SYNCs executed on the SMMU main CMDQ.
  var smmuSyncs: UInt64 = 0
  /// Cycle at which each queue slot's current error became pending.
  var errorSince: [UInt64]

  init(vintfs: Int, queues: Int) {
    vintfSince = Array(repeating: 0, count: vintfs)
    vcmdqSince = Array(repeating: 0, count: queues)
    executedAtEnable = Array(repeating: 0, count: queues)
    disabledSinceEnable = Array(repeating: false, count: queues)
    syncsAtDisable = Array(repeating: 0, count: queues)
    errorSince = Array(repeating: 0, count: queues)
  }
}
