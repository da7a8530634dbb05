import CMDQVRegisters

/// A guest's driver for one of its LVCMDQs, using only what a guest has: the
/// mmapped VINTF page0 window (CONS/PROD/CONFIG/STATUS/GERROR/GERRORN of its
/// own LVCMDQs) and its own memory (guest-physical addresses).
///
/// BASE is not reachable from the guest (page1 is not exported): the VMM
/// programmed it through `IOMMU_HW_QUEUE_ALLOC`; this helper only needs to
/// know where the queue lives in guest memory and its size.
public final class GuestLVCMDQ {
  let registers: VCMDQPage0Registers
  let memory: any PhysicalMemory
  let clock: any DelayClock
  public let lidx: Int
  /// Guest-physical address of the queue.
  public let queueAddress: UInt64
  public let log2Size: Int
  private(set) var prod: UInt32 = 0

  /// `window` is the 64 KiB page0 mapping (offset 0 = LVCMDQ0's CONS).
  public init(
    window: any MMIOBus, lidx: Int, vintf: Int, memory: any PhysicalMemory, clock: any DelayClock,
    queueAddress: UInt64, log2Size: Int
  ) {
    precondition((0..<128).contains(lidx), "LVCMDQ index \(lidx) is outside 0..<128")
    precondition((0...19).contains(log2Size), "log2Size \(log2Size) is outside 0...19")
    self.registers = VCMDQPage0Registers(bus: window, baseOffset: 0x80 * lidx, initiator: .guest(vintf: vintf))
    self.memory = memory
    self.clock = clock
    self.lidx = lidx
    self.queueAddress = queueAddress
    self.log2Size = log2Size
  }

  var entries: UInt32 { 1 << UInt32(log2Size) }
  var wrapIndexMask: UInt32 { (entries << 1) - 1 }

  /// Sets CONFIG.CMDQ_EN and polls STATUS.CMDQ_EN_OK (ETIMEDOUT after 1 s of
  /// model time). Starts from the hardware's current PROD.
  public func enable() throws(Errno) {
    registers.config.write { $0.enable = true }
    let status = registers.status
    _ = try Poll.until(
      clock: clock, what: "guest LVCMDQ\(lidx): failed to enable", read: { status.read().rawValue }, { $0 & 1 == 1 })
    prod = registers.prod.read().index & wrapIndexMask
  }

  /// Clears CONFIG.CMDQ_EN and polls STATUS.
  public func disable() throws(Errno) {
    registers.config.write { $0.enable = false }
    let status = registers.status
    _ = try Poll.until(
      clock: clock, what: "guest LVCMDQ\(lidx): failed to disable", read: { status.read().rawValue }, { $0 & 1 == 0 })
  }

  /// Writes `commands` (plus a CMD_SYNC with CS=NONE when `sync`) at PROD and
  /// rings PROD. With `wait`, polls CONS until everything is consumed and
  /// throws ``GuestQueueError`` as soon as an error is pending, or
  /// `ETIMEDOUT`. Throws `ENOSPC` if the commands do not fit.
  public func submit(_ commands: [SMMUCommand], sync: Bool = true, wait: Bool = true) throws {
    var list = commands
    if sync { list.append(.sync(cs: 0)) }
    let cons = registers.cons.read().index & wrapIndexMask
    let used = (prod &- cons) & wrapIndexMask
    guard UInt32(list.count) <= entries - used else {
      throw Errno.enospc("guest LVCMDQ\(lidx): \(list.count) commands do not fit (\(entries - used) free)")
    }
    for command in list {
      let address = queueAddress + UInt64(prod & (entries - 1)) * 16
      guard memory.writeBytes(command.bytes, at: address) else {
        let why = (memory as? TranslatedMemory)?.diagnoseAccess(at: address, count: 16)
          ?? "address 0x\(String(address, radix: 16)) is not backed"
        throw Errno.efault("guest LVCMDQ\(lidx): cannot write a command to its ring: \(why)")
      }
      prod = (prod + 1) & wrapIndexMask
    }
    registers.prod.write { $0.index = prod }
    if wait { try waitUntilConsumed() }
  }

  /// Polls CONS until it reaches PROD; throws ``GuestQueueError`` when an
  /// error becomes pending (GERROR ≠ GERRORN), `ETIMEDOUT` after 1 s.
  public func waitUntilConsumed() throws {
    let target = prod
    var failure: GuestQueueError?
    _ = try Poll.until(
      clock: clock, what: "guest LVCMDQ\(lidx): commands not consumed",
      read: { registers.cons.read().rawValue },
      { cons in
        if (cons & self.wrapIndexMask) == target { return true }
        if let e = self.pendingError(cons: cons) {
          failure = e
          return true
        }
        return false
      })
    if let failure { throw failure }
  }

  /// The pending command error, if any: GERROR.CMDQ_ERR ≠ GERRORN.CMDQ_ERR.
  public func pendingError() -> GuestQueueError? { pendingError(cons: registers.cons.read().rawValue) }

  func pendingError(cons: UInt32) -> GuestQueueError? {
    let gerror = registers.gerror.read().rawValue
    let gerrorn = registers.gerrorn.read().rawValue
    guard (gerror ^ gerrorn) & 1 != 0 else { return nil }
    return GuestQueueError(rawCode: UInt8((cons >> 24) & 0x7F), consIndex: cons & wrapIndexMask)
  }

  /// What a guest kernel does after an error (`__arm_smmu_cmdq_skip_err` +
  /// ack): for an illegal command, overwrite the faulting entry with a
  /// CMD_SYNC; then write GERROR into GERRORN so the queue resumes.
  public func acknowledgeError(skipFaultingCommand: Bool = true) {
    let cons = registers.cons.read()
    if skipFaultingCommand && cons.error != 0 && cons.error != 2 && cons.error != 3 {
      let address = queueAddress + UInt64(cons.index & (entries - 1)) * 16
      _ = memory.writeBytes(SMMUCommand.sync(cs: 0).bytes, at: address)
    }
    let gerror = registers.gerror.read().rawValue
    registers.gerrorn.write(VCMDQGErrorN(rawValue: gerror))
  }
}
