import CMDQVRegisters

/// The producer side of one SMMUv3-format command queue (the SMMU's main CMDQ
/// or a VCMDQ): queue memory, PROD/CONS registers, index+wrap arithmetic
/// (`struct arm_smmu_queue` / `arm_smmu_cmdq_issue_cmdlist`).
///
/// Pointers always compare index and wrap together: a full queue never looks
/// empty.
public final class CommandQueueProducer {
  public let name: String
  let bus: any MMIOBus
  let memory: any PhysicalMemory
  let clock: any DelayClock
  /// Absolute offsets of the PROD and CONS registers on `bus`.
  let prodOffset: Int
  let consOffset: Int
  public let baseAddress: UInt64
  public let log2Size: Int
  /// Whether CMD_SYNC must use CS=NONE and be busy-polled (every VCMDQ:
  /// `arm_smmu_cmdq_needs_busy_polling`).
  public let busyPolling: Bool
  /// The driver's shadow of PROD (index and wrap).
  private(set) var prod: UInt32 = 0

  init(
    name: String, bus: any MMIOBus, memory: any PhysicalMemory, clock: any DelayClock, prodOffset: Int,
    consOffset: Int, baseAddress: UInt64, log2Size: Int, busyPolling: Bool
  ) {
    self.name = name
    self.bus = bus
    self.memory = memory
    self.clock = clock
    self.prodOffset = prodOffset
    self.consOffset = consOffset
    self.baseAddress = baseAddress
    self.log2Size = log2Size
    self.busyPolling = busyPolling
  }

  var entries: UInt32 { 1 << UInt32(log2Size) }
  var indexMask: UInt32 { entries - 1 }
  var wrapIndexMask: UInt32 { (entries << 1) - 1 }

  /// `Q_BASE` value: address bits [47:5] | LOG2SIZE.
  var baseRegisterValue: UInt64 { (baseAddress & 0xFFFF_FFFF_FFE0) | UInt64(log2Size) }

  /// Resets the shadow pointer after the queue registers were zeroed.
  func resetPointers() { prod = 0 }

  /// Entries between `cons` and `prod`.
  func used(cons: UInt32) -> UInt32 {
    let p = prod & wrapIndexMask, c = cons & wrapIndexMask
    return (p &- c) & wrapIndexMask
  }

  /// Whether entry `target` (a wrap+index value) has been consumed once CONS
  /// reads `cons`: compares index and wrap together.
  func consumed(_ target: UInt32, cons: UInt32) -> Bool {
    // Distance from cons to target must be "behind": (target - cons) mod 2N == 0
    // means CONS reached it; > N never happens for a valid queue.
    let distance = (target &- (cons & wrapIndexMask)) & wrapIndexMask
    return distance == 0 || distance > entries
  }

  /// Writes `commands` (and a CMD_SYNC if `sync`), rings PROD, and with
  /// `sync` waits until CONS passes the CMD_SYNC (`ETIMEDOUT` after
  /// `ARM_SMMU_POLL_TIMEOUT_US`). Waits for space when the queue is full.
  func issue(_ commands: [SMMUCommand], sync: Bool, syncCS: UInt8) throws(Errno) {
    var list = commands
    if sync { list.append(.sync(cs: busyPolling ? 0 : syncCS)) }
    var written = 0
    while written < list.count {
      // Wait for at least one free slot.
      let cons = try Poll.until(
        clock: clock, what: "\(name): waiting for space in the command queue",
        read: { bus.read32(at: consOffset) }, { self.used(cons: $0) < self.entries })
      let space = Int(entries - used(cons: cons))
      for command in list[written..<min(list.count, written + space)] {
        let address = baseAddress + UInt64(prod & indexMask) * 16
        guard memory.writeBytes(command.bytes, at: address) else {
          throw Errno.efault("\(name): queue memory at 0x\(String(address, radix: 16)) is not backed")
        }
        prod = (prod + 1) & wrapIndexMask
        written += 1
      }
      bus.write32(prod, at: prodOffset)
    }
    guard sync else { return }
    let target = prod
    _ = try Poll.until(
      clock: clock, what: "\(name): CMD_SYNC timeout",
      read: { bus.read32(at: consOffset) }, { self.consumed(target, cons: $0) })
  }

  /// `__arm_smmu_cmdq_skip_err`: after a command error, look at CONS.ERR and,
  /// for an illegal command, overwrite the faulting entry with a CMD_SYNC so
  /// the queue can go on. Returns the error code found. The CMD_SYNC is built
  /// by `arm_smmu_cmdq_build_sync_cmd`: CS=SEV (no MSI polling here), forced
  /// to CS=NONE only on a busy-polled queue (a VCMDQ).
  @discardableResult
  func skipError() -> UInt8 {
    let cons = bus.read32(at: consOffset)
    let code = UInt8((cons >> 24) & 0x7F)
    switch code {
    case 0, 2, 3:
      // NONE: nothing; ABT: the hardware refetches; ATC_INV_SYNC: CONS is on
      // the CMD_SYNC, which is retried.
      return code
    default:
      let address = baseAddress + UInt64(cons & indexMask) * 16
      memory.writeBytes(SMMUCommand.sync(cs: busyPolling ? 0 : 2).bytes, at: address)
      return code
    }
  }
}
