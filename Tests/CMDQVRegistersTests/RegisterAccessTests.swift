import Testing

import CMDQVRegisters

@Suite struct RegisterAccessTests {
  @Test func instanceAccessorsUseKernelOffsets() {
    let bus = RecordingBus()
    let regs = Tegra241CMDQVRegisters(bus: bus)
    #expect(regs.config.offset == 0x0)
    #expect(regs.param.offset == 0x4)
    #expect(regs.cmdqAlloc(5).offset == 0x214)
    #expect(regs.vintf(1).config.offset == 0x1100)
    #expect(regs.vintf(1).sidMatch(0).offset == 0x1140)
    #expect(regs.vintf(1).sidReplace(0).offset == 0x1180)
    #expect(regs.vintf(1).lvcmdqErrMap(1).offset == 0x11C8)
    #expect(regs.vcmdqPage1(3).base.offset == 0x20180)
    #expect(regs.vintfLVCMDQPage0(vintf: 1, lvcmdq: 1).cons.offset == 0x50080)
    #expect(regs.vintfLVCMDQPage1(vintf: 1, lvcmdq: 1).base.offset == 0x60080)
    let smmu = SMMUv3Registers(bus: bus)
    #expect(smmu.cmdqBase.offset == 0x90)
    #expect(smmu.cmdqCons.offset == 0x9C)
  }

  @Test func writeClosureStartsFromResetValue() {
    let bus = RecordingBus()
    bus.words[0] = 0xFFFF_FFFF
    Tegra241CMDQVRegisters(bus: bus).config.write { $0.enable = false }
    // Reset 0x0002_0083 with CMDQV_EN cleared; the current value is ignored.
    #expect(bus.log == [.w32(0, 0x0002_0082)])
  }

  @Test func modifyIsOneReadThenOneWrite() {
    let bus = RecordingBus()
    bus.words[0x214] = 0x0001_0002
    Tegra241CMDQVRegisters(bus: bus).cmdqAlloc(5).modify { $0.allocated = true }
    #expect(bus.log == [.r32(0x214), .w32(0x214, 0x0001_0003)])
  }

  @Test func sixtyFourBitRegistersUseQuadAccesses() {
    let bus = RecordingBus()
    let base = Tegra241CMDQVRegisters(bus: bus).vcmdqPage1(0).base
    var value = VCMDQBase(rawValue: 0)
    value.address = 0x8000_0000 >> 5
    value.log2Size = 8
    base.write(value)
    #expect(bus.log == [.w64(0x20000, 0x8000_0008)])
    #expect(base.read().rawValue == 0x8000_0008)
  }

  @Test func splitSixtyFourBitRegisterReadsHighThenLow() {
    let bus = RecordingBus()
    bus.words[0x14] = 0x1
    bus.words[0x18] = 0x2
    let map = Tegra241CMDQVRegisters(bus: bus).viErrMap.read()
    // Like tegra241_cmdqv_isr: readl(0x18) << 32 | readl(0x14).
    #expect(bus.log == [.r32(0x18), .r32(0x14)])
    #expect(map.map == 0x2_0000_0001)
  }

  @Test func initiatorIsPassedThrough() {
    let bus = RecordingBus()
    _ = Tegra241CMDQVRegisters(bus: bus, initiator: .guest(vintf: 1)).vintfLVCMDQPage0(vintf: 1, lvcmdq: 0).prod.read()
    #expect(bus.initiators == [.guest(vintf: 1)])
  }

  @Test func fieldAccessorsRoundTrip() {
    var alloc = CMDQAlloc(rawValue: 0)
    alloc.vintf = 3
    alloc.lvcmdq = 1
    alloc.allocated = true
    #expect(alloc.rawValue == (3 << 15 | 1 << 1 | 1))
    var config = VINTFConfig(rawValue: 0)
    config.vmid = 0xFFFF
    config.hypervisorOwned = true
    #expect(config.rawValue == 0x3_FFFE)
    let cons = VCMDQCons(rawValue: 0x0100_0005)
    #expect(cons.index == 5)
    #expect(cons.error == 1)
    #expect(cons.errorCode == .ill)
    #expect(VCMDQCons(rawValue: 0x7F00_0000).errorCode == nil)
  }

  @Test func descriptionNamesTheRegisterAndDecodesFields() {
    #expect(
      CMDQVConfig.resetValue.description
        == "CMDQV_CONFIG=0x00020083 {CMDQV_EN=1, PER_CMD_OFFSET=0x1, CMDQ_MAX_CLK_BATCH=0x8, CMDQ_MAX_CMD_BATCH=0x20, CONS_DRAM_EN=0}")
    #expect(VCMDQCons(rawValue: 0x0100_0003).description == "VCMDQ_CONS=0x01000003 {RD=0x3, ERR=0x1(ILL)}")
  }

  @Test func boundsAreChecked() async {
    await #expect(processExitsWith: .failure) {
      _ = Tegra241CMDQVRegisters(bus: RecordingBus()).vintf(64)
    }
    await #expect(processExitsWith: .failure) {
      _ = Tegra241CMDQVRegisters(bus: RecordingBus()).vintf(0).sidMatch(16)
    }
  }
}
