import CMDQVRegisters

/// The shape and timing of one modelled CMDQV: what `CMDQV_PARAM` reports, how
/// long each CONFIG→STATUS handshake takes, and how fast queues drain.
///
/// All times are in model cycles; nothing depends on host time.
public struct CMDQVConfiguration: Hashable, Sendable {
  /// `PARAM.CMDQV_VER` [3:0].
  public var version: UInt8
  /// `PARAM.NUM_VI_LOG2` [11:8]: log2 of the number of VINTFs.
  public var log2VINTFs: Int
  /// `PARAM.NUM_CMDQ_LOG2` [7:4]: log2 of the number of global VCMDQs.
  public var log2VCMDQs: Int
  /// `PARAM.NUM_SID_PER_VI_LOG2` [15:12]: log2 of the SID_MATCH/REPLACE pairs per VINTF.
  public var log2SIDsPerVINTF: Int

  /// CONFIG→STATUS latencies, in cycles (0 = visible on the next read).
  public var cmdqvLatency: HandshakeLatency
  public var vintfLatency: HandshakeLatency
  public var vcmdqLatency: HandshakeLatency
  /// SMMU `CR0`→`CR0ACK` latency.
  public var smmuCR0Latency: HandshakeLatency

  /// Commands the whole device consumes per cycle, shared round-robin by the
  /// running queues (CMDQV's `CMDQ_MAX_CMD_BATCH` plays a similar role).
  public var commandsPerCycle: Int
  /// SMMU `IDR1.CMDQS` [25:21]: log2 of the largest main CMDQ (≤ 19).
  public var smmuCMDQS: Int
  /// Model cycles per microsecond of driver time (`udelay`).
  public var cyclesPerMicrosecond: UInt64
  /// What the device does when a programming rule is broken (all rules or
  /// per rule; see ``RuleBook``).
  public var rulePolicies: RulePolicies
  /// Records each fault and error log (``CMDQVDevice/faults``,
  /// ``CMDQVDevice/commandErrors``, …) keeps at each end: the first
  /// `logLimit` and the last `logLimit`; the ones between are only counted.
  public var logLimit: Int
  /// How many of the latest executed commands ``CMDQVDevice/executedCommands``
  /// keeps (default 262,144, about 20 MiB). Past it the oldest half is
  /// dropped and only counted, so a guest that runs a billion commands does
  /// not grow memory without bound.
  public var executedCommandLimit: Int = 1 << 18

  public init(
    version: UInt8 = 1, log2VINTFs: Int = 2, log2VCMDQs: Int = 3, log2SIDsPerVINTF: Int = 4,
    cmdqvLatency: HandshakeLatency = .init(enable: 4, disable: 4),
    vintfLatency: HandshakeLatency = .init(enable: 2, disable: 2),
    vcmdqLatency: HandshakeLatency = .init(enable: 2, disable: 2),
    smmuCR0Latency: HandshakeLatency = .init(enable: 1, disable: 1),
    commandsPerCycle: Int = 4, smmuCMDQS: Int = 19, cyclesPerMicrosecond: UInt64 = 100,
    rulePolicies: RulePolicies = RulePolicies(), logLimit: Int = 1024
  ) {
    self.version = version
    self.log2VINTFs = log2VINTFs
    self.log2VCMDQs = log2VCMDQs
    self.log2SIDsPerVINTF = log2SIDsPerVINTF
    self.cmdqvLatency = cmdqvLatency
    self.vintfLatency = vintfLatency
    self.vcmdqLatency = vcmdqLatency
    self.smmuCR0Latency = smmuCR0Latency
    self.commandsPerCycle = commandsPerCycle
    self.smmuCMDQS = smmuCMDQS
    self.cyclesPerMicrosecond = cyclesPerMicrosecond
    self.rulePolicies = rulePolicies
    self.logLimit = logLimit
  }

  /// A Grace-like shape (the real Grace PARAM value is not public): 4 VINTFs,
  /// 8 VCMDQs (2 LVCMDQs per VINTF), 16 SID pairs per VINTF, version 1, with
  /// short non-zero handshakes so drivers must really poll.
  public static let `default` = CMDQVConfiguration()

  /// What QEMU's tegra241-cmdqv exposes to a guest (hw/arm/tegra241-cmdqv.c:
  /// the PARAM reset value):
  /// PARAM = VER 1, 1 VINTF, 2 VCMDQs, 16 SIDs.
  public static let qemuGuest = CMDQVConfiguration(version: 1, log2VINTFs: 0, log2VCMDQs: 1, log2SIDsPerVINTF: 4)

  public var numVINTFs: Int { 1 << log2VINTFs }
  public var numVCMDQs: Int { 1 << log2VCMDQs }
  public var numSIDsPerVINTF: Int { 1 << log2SIDsPerVINTF }
  public var numLVCMDQsPerVINTF: Int { numVCMDQs / numVINTFs }

  /// The `CMDQV_PARAM` register value.
  public var paramValue: UInt32 {
    UInt32(version & 0xF) | UInt32(log2VCMDQs) << 4 | UInt32(log2VINTFs) << 8 | UInt32(log2SIDsPerVINTF) << 12
  }

  /// The SMMU `IDR1` register value (only CMDQS is modelled).
  public var smmuIDR1Value: UInt32 { UInt32(smmuCMDQS) << 21 }

  /// Stops with a message naming the impossible parameter.
  public func validate() {
    precondition(version <= 0xF, "CMDQVConfiguration: version \(version) does not fit PARAM[3:0]")
    // CMDQ_ALLOC.VIRT_INTF_INDX is 6 bits and VI_ERR_MAP 64 bits: at most 64 VINTFs.
    precondition((0...6).contains(log2VINTFs), "CMDQVConfiguration: log2VINTFs \(log2VINTFs) not in 0...6 (≤ 64 VINTFs)")
    // CMDQ_ERR_MAP is 4×32 bits and CMDQ_ALLOC.LVCMDQ 7 bits: at most 128 VCMDQs.
    precondition((0...7).contains(log2VCMDQs), "CMDQVConfiguration: log2VCMDQs \(log2VCMDQs) not in 0...7 (≤ 128 VCMDQs)")
    precondition(
      log2VCMDQs >= log2VINTFs,
      "CMDQVConfiguration: \(numVCMDQs) VCMDQs < \(numVINTFs) VINTFs; each VINTF needs at least one LVCMDQ")
    // The SID_MATCH window 0x40–0x7C holds 16 words.
    precondition((0...4).contains(log2SIDsPerVINTF), "CMDQVConfiguration: log2SIDsPerVINTF \(log2SIDsPerVINTF) not in 0...4 (≤ 16 pairs)")
    for (name, l) in [("cmdqv", cmdqvLatency), ("vintf", vintfLatency), ("vcmdq", vcmdqLatency), ("smmuCR0", smmuCR0Latency)] {
      precondition(l.enable >= 0 && l.disable >= 0, "CMDQVConfiguration: \(name) latency must be ≥ 0, got \(l)")
    }
    precondition(commandsPerCycle >= 1, "CMDQVConfiguration: commandsPerCycle must be ≥ 1, got \(commandsPerCycle)")
    precondition((0...19).contains(smmuCMDQS), "CMDQVConfiguration: smmuCMDQS \(smmuCMDQS) not in 0...19")
    precondition(cyclesPerMicrosecond >= 1, "CMDQVConfiguration: cyclesPerMicrosecond must be ≥ 1")
    precondition(logLimit >= 0, "CMDQVConfiguration: logLimit must be ≥ 0, got \(logLimit)")
    precondition(
      executedCommandLimit >= 2, "CMDQVConfiguration: executedCommandLimit must be ≥ 2, got \(executedCommandLimit)")
  }
}
