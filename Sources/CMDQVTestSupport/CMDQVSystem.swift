import CMDQVModel
import CMDQVRegisters
import IOMMUFD

/// A booted host in one call: the hardware model, the SMMU main-queue driver,
/// the Tegra241 CMDQV driver (probed and reset: VINTF0 enabled with its kernel
/// LVCMDQs) and an iommufd context over it.
///
/// With `smmuCount` > 1 the host has that many SMMUs, each with its own
/// CMDQV (``instances``), sharing one physical memory and one iommufd
/// context: a device is behind the SMMU whose StreamID range holds its
/// StreamID, so a vIOMMU, HWPT or vDEVICE of one SMMU refuses a device of
/// another (`EINVAL`), as the kernel does. ``device``, ``smmu``, ``cmdqv``,
/// ``driver``, ``clock`` and ``dma`` are the first instance's.
///
/// Interrupts are delivered to the drivers' handlers whenever the clock runs
/// (`udelay`, ``step(cycles:)``), never in the middle of an MMIO access.
public final class CMDQVSystem {
  /// One SMMU with its CMDQV: the hardware model and the drivers for it.
  public final class Instance {
    public let index: Int
    public let device: CMDQVDevice
    public let clock: SystemClock
    public let dma: DMAAllocator
    public let smmu: SMMUv3
    public let cmdqv: Tegra241CMDQV
    public let driver: Tegra241IOMMUDriver
    /// Physical address of this CMDQV's MMIO base.
    public let cmdqvBasePhysical: UInt64
    var deliveredCMDQVInterrupts = 0
    var deliveredSMMUInterrupts = 0

    init(index: Int, configuration: CMDQVConfiguration, memory: PhysicalMemoryModel?, streamIDs: ClosedRange<UInt32>) {
      self.index = index
      let device = memory.map { CMDQVDevice(configuration: configuration, memory: $0) } ?? CMDQVDevice(configuration: configuration)
      self.device = device
      self.clock = SystemClock(device: device)
      self.dma = DMAAllocator(base: CMDQVSystem.dmaBase + UInt64(index) * CMDQVSystem.dmaSize, size: CMDQVSystem.dmaSize) {
        [unowned device] base, length in device.memory.backRange(base: base, length: length)
      }
      self.smmu = SMMUv3(bus: device.smmu, memory: device.memory, clock: clock, dma: dma)
      self.cmdqv = Tegra241CMDQV(bus: device, smmu: smmu, clock: clock, memory: device.memory, dma: dma)
      self.cmdqvBasePhysical = CMDQVSystem.cmdqvBasePhysical + UInt64(index) * CMDQVSystem.instanceStride
      self.driver = Tegra241IOMMUDriver(
        name: "smmu\(index)", cmdqv: cmdqv, cmdqvBasePhysical: cmdqvBasePhysical, streamIDs: streamIDs)
    }

    var hasUndeliveredInterrupts: Bool {
      device.interruptCount > deliveredCMDQVInterrupts || device.smmuInterruptCount > deliveredSMMUInterrupts
    }
  }

  /// The SMMUs, in order; the first is ``device``/``smmu``/``cmdqv``/``driver``.
  public let instances: [Instance]
  public let device: CMDQVDevice
  public let clock: SystemClock
  public let dma: DMAAllocator
  public let smmu: SMMUv3
  public let cmdqv: Tegra241CMDQV
  public let driver: Tegra241IOMMUDriver
  public let context: IOMMUFDContext
  /// The process's own pages pinned into ``device``'s memory by
  /// `IOMMU_IOAS_MAP` through ``openIOMMUFD(descriptors:)``.
  public let userMemory: ModelUserMemory

  /// Physical address of the (first) CMDQV MMIO base (what mmap offsets resolve to).
  public static let cmdqvBasePhysical: UInt64 = 0x1_0000_0000
  /// Distance between the CMDQV apertures of consecutive instances.
  public static let instanceStride: UInt64 = 0x100_0000
  /// The host DMA region the (first) drivers allocate queues from (backed on
  /// demand); instance *i* uses the *i*-th region of this size after it.
  public static let dmaBase: UInt64 = 0x4000_0000
  public static let dmaSize: UInt64 = 0x1000_0000
  /// The most SMMU instances a system assembles.
  public static let maxSMMUCount = 4

  private var delivering = false
  /// Whether interrupts reach the drivers' handlers (default `true`).
  public var deliversInterrupts = true

  /// Builds the system; with `boot`, probes and resets the drivers (throws
  /// what the kernel's probe/reset would, e.g. ETIMEDOUT for a stuck
  /// handshake). `smmuCount` (1...``maxSMMUCount``) SMMUs with identical
  /// configurations are assembled; with one, it translates every StreamID,
  /// with more, instance *i* translates StreamIDs `i·0x10000...i·0x10000 + 0xFFFF`.
  /// With `selftest`, the context also has the kernel selftest's mock IOMMU
  /// (`SelftestIOMMUDriver`), as a kernel built with CONFIG_IOMMUFD_TEST
  /// does: `IOMMU_TEST_CMD` works and mock devices bind to it.
  public init(
    configuration: CMDQVConfiguration = .default, boot: Bool = true, smmuCount: Int = 1, selftest: Bool = false
  ) throws(Errno) {
    precondition(
      (1...Self.maxSMMUCount).contains(smmuCount), "smmuCount \(smmuCount) is not in 1...\(Self.maxSMMUCount)")
    var instances: [Instance] = []
    for i in 0..<smmuCount {
      let ids: ClosedRange<UInt32> =
        smmuCount == 1 ? 0...0xF_FFFF : (UInt32(i) << 16)...(UInt32(i) << 16 | 0xFFFF)
      instances.append(
        Instance(index: i, configuration: configuration, memory: instances.first?.device.memory, streamIDs: ids))
    }
    self.instances = instances
    let first = instances[0]
    (device, clock, dma, smmu, cmdqv, driver) = (first.device, first.clock, first.dma, first.smmu, first.cmdqv, first.driver)
    self.context = IOMMUFDContext(
      drivers: instances.map(\.driver) + (selftest ? [SelftestIOMMUDriver() as any IOMMUDriver] : []))
    self.userMemory = ModelUserMemory(memory: first.device.memory)
    for instance in instances {
      instance.clock.afterDelay = { [unowned self] in self.deliverInterrupts() }
      instance.clock.hasUndeliveredInterrupts = { [unowned self] in
        deliversInterrupts && self.instances.contains { $0.hasUndeliveredInterrupts }
      }
    }
    if boot { try self.boot() }
  }

  /// `arm_smmu_device_probe` → reset, as far as the CMDQV path goes: SMMU
  /// probe, CMDQV probe, SMMU main-queue reset, then `tegra241_cmdqv_hw_reset`;
  /// for each instance in turn.
  public func boot() throws(Errno) {
    for instance in instances {
      instance.smmu.probe()
      try instance.cmdqv.probe()
      try instance.smmu.reset()
      try instance.cmdqv.hwReset()
    }
  }

  /// Calls the CMDQV ISR and the SMMU GERROR handler for edges not yet
  /// delivered, on every instance. Not re-entrant: a handler that delays does
  /// not nest.
  public func deliverInterrupts() {
    guard deliversInterrupts, !delivering else { return }
    delivering = true
    defer { delivering = false }
    while let instance = instances.first(where: \.hasUndeliveredInterrupts) {
      if instance.device.interruptCount > instance.deliveredCMDQVInterrupts {
        instance.deliveredCMDQVInterrupts = instance.device.interruptCount
        instance.cmdqv.handleInterrupt()
      }
      if instance.device.smmuInterruptCount > instance.deliveredSMMUInterrupts {
        instance.deliveredSMMUInterrupts = instance.device.smmuInterruptCount
        instance.smmu.handleGlobalError()
      }
    }
  }

  /// Runs the hardware (every instance) for `cycles` cycles, then delivers
  /// interrupts.
  public func step(cycles: Int = 1) {
    for instance in instances { instance.device.step(cycles: cycles) }
    deliverInterrupts()
  }

  /// The instance whose SMMU translates `streamID`.
  public func instance(forStreamID streamID: UInt32) -> Instance? {
    instances.first { $0.driver.ownsStreamID(streamID) }
  }

  /// The instance whose CMDQV aperture holds `physicalAddress` (an mmap of a
  /// VINTF's page0 resolves into one).
  public func instance(containing physicalAddress: UInt64) -> Instance? {
    instances.first {
      physicalAddress >= $0.cmdqvBasePhysical && physicalAddress - $0.cmdqvBasePhysical < Self.instanceStride
    }
  }

  /// A guest-physical view of memory through `ioas` (IPA → PA).
  public func guestMemory(ioas: UInt32) -> TranslatedMemory {
    let context = self.context
    return TranslatedMemory(memory: device.memory) { ipa in
      guard let object = context.object(ioas) as? IOAS else { return nil }
      return object.physicalAddress(of: ipa)
    }
  }

  /// The guest's view of an mmapped VINTF page0 (of whichever instance the
  /// mapping resolves into).
  public func guestWindow(_ mapping: MMapping, vintf: Int) -> MMIOWindow {
    let instance = instance(containing: mapping.physicalAddress) ?? instances[0]
    return mapping.window(over: instance.device, busBase: instance.cmdqvBasePhysical, vintf: vintf)
  }
}
