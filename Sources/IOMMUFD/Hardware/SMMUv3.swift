import CMDQVRegisters

/// The arm-smmu-v3 side the Tegra241 CMDQV driver leans on: the SMMU's main
/// command queue (`smmu->cmdq`), brought up as `arm_smmu_device_reset` does,
/// plus the global-error handler for it.
///
/// Every register access goes through `bus` (the SMMU's MMIO aperture).
public final class SMMUv3 {
  public let bus: any MMIOBus
  let memory: any PhysicalMemory
  let clock: any DelayClock
  let dma: DMAAllocator
  let regs: SMMUv3Registers
  /// `IDR1.CMDQS`, read at probe.
  public private(set) var cmdqs: Int = 0
  /// The main command queue, after ``reset()``.
  public private(set) var cmdq: CommandQueueProducer?

  /// `CMDQ_MAX_SZ_SHIFT` (Q_MAX_SZ_SHIFT 22 - CMDQ_ENT_SZ_SHIFT 4) for 4 KiB
  /// pages and MAX_PAGE_ORDER 10.
  public static let cmdqMaxSizeShift = 18

  public init(bus: any MMIOBus, memory: any PhysicalMemory, clock: any DelayClock, dma: DMAAllocator) {
    self.bus = bus
    self.memory = memory
    self.clock = clock
    self.dma = dma
    self.regs = SMMUv3Registers(bus: bus)
  }

  /// `arm_smmu_device_hw_probe` (the part used here): reads IDR1.CMDQS.
  public func probe() {
    cmdqs = Int(regs.idr1.read().cmdqs)
  }

  /// The queue size the kernel uses for both the main CMDQ and kernel-owned
  /// VCMDQs: `min(CMDQ_MAX_SZ_SHIFT, IDR1.CMDQS)`.
  public var commandQueueLog2Size: Int { min(Self.cmdqMaxSizeShift, cmdqs) }

  /// `arm_smmu_device_reset`, command-queue part: disable CMDQ, program
  /// CMDQ_BASE, zero PROD/CONS, enable CMDQEN through the CR0/CR0ACK handshake.
  public func reset() throws(Errno) {
    if cmdq == nil {
      let log2 = commandQueueLog2Size
      let bytes = UInt64(16) << UInt64(log2)
      let base = try dma.allocate(size: bytes, alignment: max(32, bytes))
      cmdq = CommandQueueProducer(
        name: "SMMU_CMDQ", bus: bus, memory: memory, clock: clock, prodOffset: regs.cmdqProd.offset,
        consOffset: regs.cmdqCons.offset, baseAddress: base, log2Size: log2, busyPolling: false)
    }
    guard let cmdq else { return }
    try writeCR0(0)
    regs.cmdqBase.write(SMMUCMDQBase(rawValue: cmdq.baseRegisterValue))
    regs.cmdqProd.write(SMMUCMDQProd(rawValue: 0))
    regs.cmdqCons.write(SMMUCMDQCons(rawValue: 0))
    cmdq.resetPointers()
    var cr0 = SMMUCR0(rawValue: 0)
    cr0.commandQueueEnable = true
    try writeCR0(cr0.rawValue)
  }

  /// `arm_smmu_write_reg_sync(smmu, val, ARM_SMMU_CR0, ARM_SMMU_CR0ACK)`.
  func writeCR0(_ value: UInt32) throws(Errno) {
    regs.cr0.write(SMMUCR0(rawValue: value))
    let ack = regs.cr0ack
    _ = try Poll.until(
      clock: clock, what: "SMMU: CR0ACK did not follow CR0=0x\(String(value, radix: 16))",
      read: { ack.read().rawValue }, { $0 == value })
  }

  /// `arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, …)`; CMD_SYNC with
  /// CS=SEV, completion polled on CONS.
  public func issue(_ commands: [SMMUCommand], sync: Bool) throws(Errno) {
    guard let cmdq else { throw Errno.enodev("SMMU: the main command queue is not initialised") }
    try cmdq.issue(commands, sync: sync, syncCS: 2)
  }

  /// `arm_smmu_gerror_handler` for CMDQ_ERR: skip the bad command, then
  /// acknowledge by writing GERROR into GERRORN. Returns whether an error was
  /// active.
  @discardableResult
  public func handleGlobalError() -> Bool {
    let gerror = regs.gerror.read().rawValue
    let gerrorn = regs.gerrorn.read().rawValue
    let active = gerror ^ gerrorn
    guard active != 0 else { return false }
    if active & 1 != 0 { cmdq?.skipError() }
    regs.gerrorn.write(SMMUGErrorN(rawValue: gerror))
    return true
  }
}
