import CMDQVRegisters

/// The registers and engine state of one command queue: a global VCMDQ or
/// the SMMU's main CMDQ (which shares the pointer and GERROR semantics,
/// emulator-lessons §2.5–2.7).
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

  var errorPending: Bool { (gerror ^ gerrorn) & QueueBits.gerrorPendingMask != 0 }
  var cmdqErrorPending: Bool { (gerror ^ gerrorn) & QueueBits.gerrorCMDQErr != 0 }
  var allocVINTF: Int { Int(alloc >> AllocBits.vintfShift & AllocBits.vintfMask) }
  var allocLVCMDQ: Int { Int(alloc >> AllocBits.lvcmdqShift & AllocBits.lvcmdqMask) }
  var allocated: Bool { alloc & AllocBits.alloc != 0 }
}

/// Queue pointer arithmetic (emulator-lessons §2.5): index and wrap are always
/// compared together; `log2Size` is clamped to 19.
struct QueuePointers {
  let log2Size: Int

  init(log2Size: Int) { self.log2Size = min(max(log2Size, 0), QueueBits.maxLog2Size) }

  var indexMask: UInt32 { (1 << UInt32(log2Size)) - 1 }
  var wrapMask: UInt32 { 1 << UInt32(log2Size) }
  var wrapIndexMask: UInt32 { (1 << UInt32(log2Size + 1)) - 1 }

  func isEmpty(prod: UInt32, cons: UInt32) -> Bool { (prod ^ cons) & wrapIndexMask == 0 }
  func isFull(prod: UInt32, cons: UInt32) -> Bool { (prod ^ cons) & wrapIndexMask == wrapMask }
  /// CONS + 1 within index+wrap, keeping ERR and other bits (`deposit32`).
  func advance(_ cons: UInt32) -> UInt32 { (cons & ~wrapIndexMask) | ((cons &+ 1) & wrapIndexMask) }
  /// Entries waiting between CONS and PROD.
  func count(prod: UInt32, cons: UInt32) -> Int {
    Int((prod &- cons) & wrapIndexMask)
  }
}
