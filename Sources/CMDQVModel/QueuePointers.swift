/// Queue pointer arithmetic (`Q_IDX`/`Q_WRP` in arm-smmu-v3.h, v6.17; QEMU
/// hw/arm/smmuv3-internal.h `Q_IDX`/`Q_WRAP`): index and wrap are always
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
