import CMDQVRegisters

/// The Tegra241 CMDQV host driver (`struct tegra241_cmdqv`,
/// drivers/iommu/arm/arm-smmu-v3/tegra241-cmdqv.c), following the newest
/// kernel (v7.x) where versions differ (Docs/Sources.md lists the differences).
///
/// It reaches hardware only through the CMDQV `MMIOBus`, the SMMU's main
/// command queue (``SMMUv3``), a ``DelayClock`` and ``PhysicalMemory``, the way
/// the kernel uses readl/writel/udelay. Every register write it makes is in the
/// kernel's order (`tegra241_cmdqv_hw_reset`, `tegra241_vintf_hw_init`/`_deinit`,
/// `tegra241_vcmdq_hw_init`/`_deinit`, `tegra241_vintf_init_vsid`,
/// `tegra241_vintf_alloc_lvcmdq_user`).
public final class Tegra241CMDQV {
  public let bus: any MMIOBus
  public let smmu: SMMUv3
  let clock: any DelayClock
  let memory: any PhysicalMemory
  let dma: DMAAllocator
  let registers: Tegra241CMDQVRegisters

  /// PARAM, decoded at ``probe()``.
  public private(set) var version = 0
  public private(set) var numVINTFs = 0
  public private(set) var numVCMDQs = 0
  public private(set) var numLVCMDQsPerVINTF = 0
  public private(set) var numSIDsPerVINTF = 0

  /// VINTFs by index; VINTF0 is the kernel's.
  public internal(set) var vintfs: [Tegra241VINTF?] = []
  var vintfIDs = IDAllocator()
  /// `bypass_vcmdq`: send everything to the SMMU's main command queue.
  public var bypassVCMDQ = false
  /// Called by the ISR for a user VINTF with both 64-bit LVCMDQ error maps
  /// (`iommufd_viommu_report_event(…, IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV, …)`).
  /// The driver's own wiring (``Tegra241IOMMUDriver`` sets it), so it is not
  /// public: a harness that replaced it would silently stop vEVENT delivery.
  /// Harnesses observe through ``onUserError``.
  var reportUserError: ((Tegra241VINTF, [UInt64]) -> Void)?
  /// A harness's observer of user VINTF errors, called by the ISR after the
  /// driver has reported the vEVENT, with the VINTF and both LVCMDQ error
  /// maps (`LVCMDQ_ERR_MAP_0/1`).
  public var onUserError: ((Tegra241VINTF, [UInt64]) -> Void)?
  /// Kernel log lines (`dev_err`/`dev_warn`), for tests and summaries.
  public private(set) var log: [String] = []

  public init(
    bus: any MMIOBus, smmu: SMMUv3, clock: any DelayClock, memory: any PhysicalMemory, dma: DMAAllocator
  ) {
    self.bus = bus
    self.smmu = smmu
    self.clock = clock
    self.memory = memory
    self.dma = dma
    self.registers = Tegra241CMDQVRegisters(bus: bus)
  }

  func warn(_ message: String) { log.append(message) }

  public var vintf0: Tegra241VINTF? { vintfs.first ?? nil }

  // MARK: Probe and reset

  /// `__tegra241_cmdqv_probe`: decode PARAM, set up VINTF0 and its kernel
  /// LVCMDQs (queue memory from the DMA region). Call after ``SMMUv3/probe()``.
  public func probe() throws(Errno) {
    let param = registers.param.read()
    version = Int(param.version)
    numVINTFs = 1 << Int(param.numVINTFLog2)
    numVCMDQs = 1 << Int(param.numVCMDQLog2)
    numLVCMDQsPerVINTF = numVCMDQs / numVINTFs
    numSIDsPerVINTF = 1 << Int(param.numSIDPerVMLog2)
    guard numLVCMDQsPerVINTF >= 1 else {
      throw Errno.enodev("CMDQV: PARAM 0x\(String(param.rawValue, radix: 16)) has fewer VCMDQs than VINTFs")
    }
    vintfs = Array(repeating: nil, count: numVINTFs)
    let vintf = try initVINTF(maxIndex: 0)
    for lidx in 0..<numLVCMDQsPerVINTF {
      let vcmdq = initLVCMDQ(vintf, lidx: lidx)
      // tegra241_vcmdq_alloc_smmu_cmdq: arm_smmu_init_one_queue + q_base.
      let log2 = smmu.commandQueueLog2Size
      let bytes = UInt64(16) << UInt64(log2)
      let base = try dma.allocate(size: bytes, alignment: max(32, bytes))
      vcmdq.producer = CommandQueueProducer(
        name: "VINTF0/LVCMDQ\(lidx)", bus: bus, memory: memory, clock: clock, prodOffset: vcmdq.page0.prod.offset,
        consOffset: vcmdq.page0.cons.offset, baseAddress: base, log2Size: log2, busyPolling: true)
      vcmdq.queueBase = (base & 0xFFFF_FFFF_FFE0) | UInt64(log2)
      vintf.lvcmdqs[lidx] = vcmdq
    }
  }

  /// `tegra241_cmdqv_init_vintf`: take the lowest free index in
  /// `0...maxIndex` (ENOSPC when none).
  func initVINTF(maxIndex: Int) throws(Errno) -> Tegra241VINTF {
    guard let index = vintfIDs.allocate(min: 0, max: maxIndex) else {
      throw Errno.enospc("CMDQV: no free VINTF (all \(numVINTFs) in use)")
    }
    let vintf = Tegra241VINTF(index: index, lvcmdqCount: numLVCMDQsPerVINTF, registers: registers.vintf(index))
    vintfs[index] = vintf
    return vintf
  }

  /// `tegra241_vintf_init_lvcmdq`: global index `vintf * N + lidx`.
  func initLVCMDQ(_ vintf: Tegra241VINTF, lidx: Int) -> Tegra241VCMDQ {
    Tegra241VCMDQ(
      index: vintf.index * numLVCMDQsPerVINTF + lidx, vintf: vintf.index, lidx: lidx, registers: registers)
  }

  /// `tegra241_cmdqv_hw_reset` (the SMMU `device_reset` impl op): disable and
  /// re-enable CMDQV, assign every global VCMDQ statically to its (VINTF,
  /// LVCMDQ) slot with ALLOC clear, then bring up VINTF0 hypervisor-owned with
  /// its LVCMDQs mapped in ascending order.
  public func hwReset() throws(Errno) {
    let config = registers.config.read().rawValue
    try writeConfig(
      config: registers.config.offset, status: registers.status.offset, value: config & ~1, what: "CMDQV: ")
    try writeConfig(
      config: registers.config.offset, status: registers.status.offset, value: config | 1, what: "CMDQV: ")
    var qidx = 0
    for idx in 0..<numVINTFs {
      for lidx in 0..<numLVCMDQsPerVINTF {
        var alloc = CMDQAlloc(rawValue: 0)
        alloc.vintf = UInt8(idx)
        alloc.lvcmdq = UInt8(lidx)
        registers.cmdqAlloc(qidx).write(alloc)
        qidx += 1
      }
    }
    guard let vintf0 else { throw Errno.enodev("CMDQV: probe() has not run") }
    try vintfHWInit(vintf0, hypervisorOwned: true)
  }

  /// `tegra241_cmdqv_write_config`: write CONFIG, poll STATUS bit0 until it
  /// matches the EN bit (`readl_poll_timeout`, 1 us step, 1 s). On timeout
  /// log `"%sfailed to %sable, STATUS=0x%08X"` with the last value polled
  /// (no extra read). Either way `enabled` (`out_enabled`) gets STATUS bit0
  /// as last read, so the cached flag mirrors the hardware even on failure.
  func writeConfig(
    config: Int, status: Int, value: UInt32, what: @autoclosure () -> String, enabled: ((Bool) -> Void)? = nil
  ) throws(Errno) {
    let enable = value & 1 == 1
    bus.write32(value, at: config)
    var last: UInt32 = 0
    defer { enabled?(last & 1 == 1) }
    do {
      last = try Poll.until(
        clock: clock, what: "\(what())failed to \(enable ? "en" : "dis")able",
        read: {
          last = bus.read32(at: status)
          return last
        }, { ($0 & 1 == 1) == enable })
    } catch {
      warn("\(what())failed to \(enable ? "en" : "dis")able, STATUS=0x\(hex8(last))")
      throw error
    }
  }

  // MARK: hw_info

  /// `tegra241_cmdqv_hw_info` for `IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV` (3):
  /// `struct iommu_hw_info_tegra241_cmdqv` as 8 little-endian bytes
  /// `{u32 flags; u8 version; u8 log2vcmdqs; u8 log2vsids; u8 reserved}`.
  /// `log2vcmdqs` is per VINTF.
  public func hwInfo() -> [UInt8] {
    [0, 0, 0, 0, UInt8(version), UInt8(numLVCMDQsPerVINTF.trailingZeroBitCount),
     UInt8(numSIDsPerVINTF.trailingZeroBitCount), 0]
  }
}
