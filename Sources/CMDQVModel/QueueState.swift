import CMDQVRegisters

/// The registers and engine state of one command queue: a global VCMDQ or
/// the SMMU's main CMDQ (which shares the pointer and GERROR semantics,
/// QEMU hw/arm/smmuv3.c: smmuv3_cmdq_consume).
struct QueueState {
  var cons: UInt32 = 0
  var prod: UInt32 = 0
  /// VCMDQ_CONFIG (CMDQ_EN); unused for the SMMU queue (CR0 gates it).
  var config: UInt32 = 0
  /// VCMDQ_STATUS.CMDQ_EN_OK.
  var enable = Handshake()
  var gerror: UInt32 = 0
  var gerrorn: UInt32 = 0
  var base: UInt64 = 0
  var consIndexBase: UInt64 = 0
  /// CMDQ_ALLOC(q).
  var alloc: UInt32 = 0
  /// Commands executed successfully (for "fail the k-th command" injections).
  var executedCount = 0
  /// Injected CERROR: fires when `executedCount + 1 == forcedErrorAt`.
  var forcedErrorAt = 0
  var forcedErrorCode: UInt8 = 0
  /// The page the last fetch came from (fetch locality: a queue reading its
  /// ring sequentially finds its page here, whatever other queues touched),
  /// valid while the memory's unback generation is `fetchGeneration`.
  var fetchPage: UInt64 = .max
  var fetchStorage: UnsafeMutableRawPointer?
  var fetchGeneration: UInt64 = 0

  var errorPending: Bool { (gerror ^ gerrorn) & QueueBits.gerrorPendingMask != 0 }
  var cmdqErrorPending: Bool { (gerror ^ gerrorn) & QueueBits.gerrorCMDQErr != 0 }
  var allocVINTF: Int { Int(alloc >> AllocBits.vintfShift & AllocBits.vintfMask) }
  var allocLVCMDQ: Int { Int(alloc >> AllocBits.lvcmdqShift & AllocBits.lvcmdqMask) }
  var allocated: Bool { alloc & AllocBits.alloc != 0 }
}
