import CMDQVRegisters
import Testing

@testable import CMDQVModel

/// The kernel's programming sequences (tegra241-cmdqv.c: `tegra241_cmdqv_hw_reset`,
/// `tegra241_vintf_hw_init`, `tegra241_cmdqv_isr`; arm-smmu-v3.c:
/// `__arm_smmu_cmdq_skip_err`; v6.17) driven
/// through the generated typed registers, polling with the DelayClock like
/// `readl_poll_timeout`.
@Suite struct KernelSequenceTests {
  /// `readl_poll_timeout(…, 1, ARM_SMMU_POLL_TIMEOUT_US)`.
  func poll(
    _ clock: DelayClock, _ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for _ in 0..<1_000_000 {
      if condition() { return }
      clock.delay(microseconds: 1)
    }
    Issue.record("poll timed out", sourceLocation: sourceLocation)
  }

  @Test(arguments: [CMDQVConfiguration.default, .qemuGuest])
  func resetInitCommandsErrorAndDeinit(configuration: CMDQVConfiguration) {
    let device = CMDQVDevice(configuration: configuration)
    let regs = Tegra241CMDQVRegisters(bus: device)
    let c = configuration
    // arm_smmu_device_reset (command-queue part): the main CMDQ the deinit flushes through.
    let smmuQueue: UInt64 = 0x9000_0000
    device.memory.backRange(base: smmuQueue, length: 0x1000)
    device.smmu.write64(smmuQueue | 8, at: SOff.cmdqBase)
    device.smmu.write32(0x8, at: SOff.cr0)
    poll(device) { device.smmu.read32(at: SOff.cr0ack) == 0x8 }
    var smmuProd: UInt32 = 0
    // tegra241_cmdqv_hw_reset: disable, poll, enable, poll.
    let config = regs.config.read()
    var off = config
    off.enable = false
    regs.config.write(off)
    poll(device) { !regs.status.read().enabled }
    regs.config.write(config)
    poll(device) { regs.status.read().enabled }
    // Static assignment, ALLOC = 0.
    for v in 0..<c.numVINTFs {
      for l in 0..<c.numLVCMDQsPerVINTF {
        regs.cmdqAlloc(v * c.numLVCMDQsPerVINTF + l).write {
          $0.vintf = UInt8(v)
          $0.lvcmdq = UInt8(l)
        }
      }
    }
    // tegra241_vintf_hw_init(vintf0, hyp_own = true).
    let vintf0 = regs.vintf(0)
    vintf0.config.write { $0.hypervisorOwned = true }
    vintf0.config.modify { $0.enable = true }
    poll(device) { vintf0.status.read().enabled }
    #expect(vintf0.config.read().hypervisorOwned)
    // Map ascending, then vcmdq_hw_init each.
    let n = c.numLVCMDQsPerVINTF
    for l in 0..<n {
      regs.cmdqAlloc(l).modify { $0.allocated = true }
      let pa: UInt64 = 0x8000_0000 + UInt64(l) * 0x10_0000
      device.memory.backRange(base: pa, length: 0x1000)
      regs.vintfLVCMDQPage1(vintf: 0, lvcmdq: l).base.write(VCMDQBase(rawValue: pa | 8))
      let page0 = regs.vintfLVCMDQPage0(vintf: 0, lvcmdq: l)
      page0.config.write { $0.enable = true }
      poll(device) { page0.status.read().enabled }
    }
    #expect(vintf0.status.read().numLVCMDQs == UInt8(n))
    // Commands on LVCMDQ0, one illegal.
    let page0 = regs.vintfLVCMDQPage0(vintf: 0, lvcmdq: 0)
    for (i, cmd) in [SMMUCommand.cfgiSTE(streamID: 3), .raw(opcode: 0x7F), .sync()].enumerated() {
      device.memory.storeCommand(cmd, at: 0x8000_0000 + 16 * UInt64(i))
    }
    page0.prod.write(VCMDQProd(rawValue: 3))
    poll(device) { page0.cons.read().error != 0 }
    #expect(device.interruptCount == 1)
    // tegra241_cmdqv_isr: VI_ERR_MAP (hi, lo), LVCMDQ_ERR_MAP, skip_err, ack.
    #expect(regs.viErrMap.read().rawValue == 1)
    #expect(vintf0.lvcmdqErrMap(0).read().rawValue == 1)
    #expect(regs.cmdqErrMap(0).read().rawValue == 1)
    let cons = page0.cons.read()
    #expect(cons.errorCode == .ill && cons.index == 1)
    device.memory.storeCommand(.sync(), at: 0x8000_0000 + 16 * UInt64(cons.index))
    let gerror = page0.gerror.read()
    #expect(gerror.commandError)
    page0.gerrorn.write(VCMDQGErrorN(rawValue: gerror.rawValue))
    poll(device) { page0.cons.read().index == 3 }
    #expect(regs.viErrMap.read().rawValue == 0)
    #expect(device.executedCommands.map(\.opcode) == [.cfgiSTE, .sync, .sync])
    device.clearExecutedCommands()
    // tegra241_vintf_hw_deinit: descending deinit + unmap, CONFIG = 0, clear SIDs.
    for l in (0..<n).reversed() {
      let p0 = regs.vintfLVCMDQPage0(vintf: 0, lvcmdq: l)
      let p1 = regs.vintfLVCMDQPage1(vintf: 0, lvcmdq: l)
      p0.config.write(VCMDQConfig(rawValue: 0))
      poll(device) { !p0.status.read().enabled }
      // tegra241_vcmdq_hw_flush_timeout: one CMD_SYNC on the SMMU CMDQ, waited for.
      device.memory.storeCommand(.sync(), at: smmuQueue + 16 * UInt64(smmuProd & 0xFF))
      smmuProd = (smmuProd + 1) & 0x1FF
      device.smmu.write32(smmuProd, at: SOff.cmdqProd)
      poll(device) { device.smmu.read32(at: SOff.cmdqCons) & 0x1FF == smmuProd }
      p0.prod.write(VCMDQProd(rawValue: 0))
      p0.cons.write(VCMDQCons(rawValue: 0))
      p1.base.write(VCMDQBase(rawValue: 0))
      p1.consIndxBase.write(VCMDQConsIndexBase(rawValue: 0))
      #expect(p0.gerror.read().rawValue == p0.gerrorn.read().rawValue)
      regs.cmdqAlloc(l).modify { $0.allocated = false }
    }
    vintf0.config.write(VINTFConfig(rawValue: 0))
    poll(device) { !vintf0.status.read().enabled }
    for s in 0..<c.numSIDsPerVINTF {
      vintf0.sidMatch(s).write(VINTFSIDMatch(rawValue: 0))
      vintf0.sidReplace(s).write(VINTFSIDReplace(rawValue: 0))
    }
    #expect(device.faults.isEmpty, "\(device.faults)")
    #expect(device.commandErrors.count == 1)
  }

  /// A write through the model equals `RegisterInfo.applyWrite` for every
  /// plain read/write register.
  @Test(arguments: [RegisterKind.viIntMask, .vintfConfig, .sidMatch, .sidReplace, .prod, .cons, .base, .consIndexBase, .cmdqvConfig])
  func writesFollowTheGeneratedAccessRules(kind: RegisterKind) {
    let device = CMDQVDevice(configuration: config(latency: 0))
    let offset: Int =
      switch kind {
      case .viIntMask: 0x1C
      case .vintfConfig: Off.vintfConfig(1)
      case .sidMatch: Off.sidMatch(1, 2)
      case .sidReplace: Off.sidReplace(1, 2)
      case .prod: Off.page0(3) + 4
      case .cons: Off.page0(3)
      case .base: Off.page1(3)
      case .consIndexBase: Off.page1(3) + 8
      default: 0
      }
    var rng = SplitMix64(seed: UInt64(kind.rawValue))
    for _ in 0..<200 {
      let value = rng.next()
      let old = kind.width == 64 ? UInt64(device.read32(at: offset + 4)) << 32 | UInt64(device.read32(at: offset)) : UInt64(device.read32(at: offset))
      if kind.allows64 { device.write64(value, at: offset) } else {
        device.write32(UInt32(truncatingIfNeeded: value), at: offset)
        if kind.width == 64 { device.write32(UInt32(truncatingIfNeeded: value >> 32), at: offset + 4) }
      }
      let new = kind.width == 64 ? UInt64(device.read32(at: offset + 4)) << 32 | UInt64(device.read32(at: offset)) : UInt64(device.read32(at: offset))
      let expected = kind.width == 64 ? kind.info.applyWrite(value, to: old) : kind.info.applyWrite(value & 0xFFFF_FFFF, to: old)
      #expect(new == expected, "\(kind): wrote 0x\(String(value, radix: 16)) over 0x\(String(old, radix: 16))")
    }
    #expect(device.accessFaults.isEmpty)
  }

  @Test func smmuAccessRules() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    d.smmu.write32(0xFFFF_FFFF, at: SOff.idr1)
    #expect(d.smmu.read32(at: SOff.idr1) == 19 << 21)
    d.smmu.write64(1, at: SOff.cr0)
    _ = d.smmu.read(at: SOff.cmdqProd, width: 16)
    _ = d.smmu.read32(at: 0x100)
    #expect(d.accessFaults.map(\.reason) == [.unsupportedWidth, .unsupportedWidth, .unmapped])
    #expect(d.accessFaults.allSatisfy { $0.map == "smmuv3" })
    d.smmu.write64(0xFFFF_FFFF_FFFF_FFFF, at: SOff.cmdqBase)
    #expect(d.smmu.read64(at: SOff.cmdqBase) == SMMUCMDQBase.info.writableMask)
  }
}
