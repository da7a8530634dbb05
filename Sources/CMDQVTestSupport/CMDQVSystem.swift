import CMDQVModel
import CMDQVRegisters
import IOMMUFD

/// A booted host in one call: the hardware model, the SMMU main-queue driver,
/// the Tegra241 CMDQV driver (probed and reset: VINTF0 enabled with its kernel
/// LVCMDQs) and an iommufd context over it.
///
/// Interrupts are delivered to the drivers' handlers whenever the clock runs
/// (`udelay`, ``step(cycles:)``), never in the middle of an MMIO access.
public final class CMDQVSystem {
  public let device: CMDQVDevice
  public let clock: SystemClock
  public let dma: DMAAllocator
  public let smmu: SMMUv3
  public let cmdqv: Tegra241CMDQV
  public let driver: Tegra241IOMMUDriver
  public let context: IOMMUFDContext
  /// The process's own pages pinned into ``device``'s memory by
  /// `IOMMU_IOAS_MAP` through ``openIOMMUFD(descriptors:selftest:)``.
  public let userMemory: ModelUserMemory

  /// Physical address of the CMDQV MMIO base (what mmap offsets resolve to).
  public static let cmdqvBasePhysical: UInt64 = 0x1_0000_0000
  /// The host DMA region the drivers allocate queues from (backed on demand).
  public static let dmaBase: UInt64 = 0x4000_0000
  public static let dmaSize: UInt64 = 0x1000_0000

  private var deliveredCMDQVInterrupts = 0
  private var deliveredSMMUInterrupts = 0
  private var delivering = false
  /// Whether interrupts reach the drivers' handlers (default `true`).
  public var deliversInterrupts = true

  /// Builds the system; with `boot`, probes and resets the drivers (throws
  /// what the kernel's probe/reset would, e.g. ETIMEDOUT for a stuck
  /// handshake).
  /// With `selftest`, the context also has the kernel selftest's mock IOMMU
  /// (`SelftestIOMMUDriver`), as a kernel built with CONFIG_IOMMUFD_TEST
  /// does: `IOMMU_TEST_CMD` works and mock devices bind to it.
  public init(configuration: CMDQVConfiguration = .default, boot: Bool = true, selftest: Bool = false) throws(Errno) {
    let device = CMDQVDevice(configuration: configuration)
    self.device = device
    self.clock = SystemClock(device: device)
    self.dma = DMAAllocator(base: Self.dmaBase, size: Self.dmaSize) { [unowned device] base, length in
      device.memory.backRange(base: base, length: length)
    }
    self.smmu = SMMUv3(bus: device.smmu, memory: device.memory, clock: clock, dma: dma)
    self.cmdqv = Tegra241CMDQV(bus: device, smmu: smmu, clock: clock, memory: device.memory, dma: dma)
    self.driver = Tegra241IOMMUDriver(cmdqv: cmdqv, cmdqvBasePhysical: Self.cmdqvBasePhysical)
    self.context = IOMMUFDContext(drivers: selftest ? [driver, SelftestIOMMUDriver()] : [driver])
    self.userMemory = ModelUserMemory(memory: device.memory)
    clock.afterDelay = { [unowned self] in self.deliverInterrupts() }
    clock.hasUndeliveredInterrupts = { [unowned self] in
      deliversInterrupts
        && (device.interruptCount > deliveredCMDQVInterrupts || device.smmuInterruptCount > deliveredSMMUInterrupts)
    }
    if boot { try self.boot() }
  }

  /// `arm_smmu_device_probe` → reset, as far as the CMDQV path goes: SMMU
  /// probe, CMDQV probe, SMMU main-queue reset, then `tegra241_cmdqv_hw_reset`.
  public func boot() throws(Errno) {
    smmu.probe()
    try cmdqv.probe()
    try smmu.reset()
    try cmdqv.hwReset()
  }

  /// Calls the CMDQV ISR and the SMMU GERROR handler for edges not yet
  /// delivered. Not re-entrant: a handler that delays does not nest.
  public func deliverInterrupts() {
    guard deliversInterrupts, !delivering else { return }
    delivering = true
    defer { delivering = false }
    while device.interruptCount > deliveredCMDQVInterrupts || device.smmuInterruptCount > deliveredSMMUInterrupts {
      if device.interruptCount > deliveredCMDQVInterrupts {
        deliveredCMDQVInterrupts = device.interruptCount
        cmdqv.handleInterrupt()
      }
      if device.smmuInterruptCount > deliveredSMMUInterrupts {
        deliveredSMMUInterrupts = device.smmuInterruptCount
        smmu.handleGlobalError()
      }
    }
  }

  /// Runs the hardware for `cycles` cycles, then delivers interrupts.
  public func step(cycles: Int = 1) {
    device.step(cycles: cycles)
    deliverInterrupts()
  }

  /// A guest-physical view of memory through `ioas` (IPA → PA).
  public func guestMemory(ioas: UInt32) -> TranslatedMemory {
    let context = self.context
    return TranslatedMemory(memory: device.memory) { ipa in
      guard let object = context.object(ioas) as? IOAS else { return nil }
      return object.physicalAddress(of: ipa)
    }
  }

  /// The guest's view of an mmapped VINTF page0.
  public func guestWindow(_ mapping: MMapping, vintf: Int) -> MMIOWindow {
    mapping.window(over: device, busBase: Self.cmdqvBasePhysical, vintf: vintf)
  }
}
