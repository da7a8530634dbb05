import CMDQVRegisters
import Testing

@testable import CMDQVModel

@Suite struct AccessRuleTests {
  @Test func resetValuesAndParam() {
    let d = CMDQVDevice()
    expectReg(d, Off.config, 0x0002_0083, "CONFIG reset")
    expectReg(d, Off.status, 1, "STATUS follows the reset CONFIG")
    expectReg(d, Off.param, 0x4231, "PARAM of .default")
    d.write32(0xFFFF_FFFF, at: Off.param)
    expectReg(d, Off.param, 0x4231, "PARAM is read-only")
    #expect(d.accessFaults.isEmpty, "a write to a read-only register is not a fault")
    let q = CMDQVDevice(configuration: .qemuGuest)
    expectReg(q, Off.param, 0x4011, "QEMU PARAM")
  }

  @Test func sixtyFourBitWriteToConfigIsIgnoredAndRecorded() {
    let d = CMDQVDevice()
    d.write64(0, at: Off.config)
    expectReg(d, Off.config, 0x0002_0083)
    #expect(d.accessFaults.count == 1)
    #expect(d.accessFaults.first?.reason == .unsupportedWidth)
    #expect(d.accessFaults.first?.register == "CMDQV_CONFIG")
    #expect(d.read64(at: Off.config) == 0)
    #expect(d.accessFaults.count == 2)
  }

  @Test func sixtyFourBitRegistersAcceptBothWidths() {
    let d = CMDQVDevice()
    d.write64(0x1234_5678_9ABC_DEE8, at: Off.page1(3))
    #expect(d.read64(at: Off.page1(3)) == 0x5678_9ABC_DEE8, "BASE keeps [47:0]")
    expectReg(d, Off.page1(3) + 4, 0x5678)
    d.write32(0xAAAA, at: Off.page1(3) + 4)
    #expect(d.read64(at: Off.page1(3)) == 0xAAAA_9ABC_DEE8)
    d.write64(~0, at: Off.page1(3) + 8)
    #expect(d.read64(at: Off.page1(3) + 8) == ~0, "CONS_INDX_BASE")
    _ = d.read64(at: Off.lvcmdqErrMap(0, 1))
    // VI_ERR_MAP is 64-bit but at 0x14: only 32-bit halves.
    _ = d.read64(at: Off.viErrMapLo)
    #expect(d.accessFaults.map(\.reason) == [.misaligned])
    _ = d.read64(at: Off.viErrMapHi)
    #expect(d.accessFaults.map(\.reason) == [.misaligned, .unsupportedWidth])
  }

  @Test(arguments: [8, 16])
  func narrowAccessesAreIgnored(width: Int) {
    let d = CMDQVDevice()
    d.write(0, at: Off.config, width: width)
    #expect(d.read(at: Off.config, width: width) == 0)
    expectReg(d, Off.config, 0x0002_0083)
    #expect(d.accessFaults.map(\.reason) == [.unsupportedWidth, .unsupportedWidth])
  }

  @Test func misalignedAndUnmapped() {
    let d = CMDQVDevice()
    d.write32(1, at: Off.vintfConfig(0) + 2)
    _ = d.read32(at: 0xC)
    _ = d.read32(at: -4)
    _ = d.read32(at: 0x0100_0000)
    #expect(d.accessFaults.map(\.reason) == [.misaligned, .unmapped, .unmapped, .unmapped])
    expectReg(d, Off.vintfConfig(0), 0)
  }

  @Test func registersBeyondTheConfigurationAreAbsent() {
    let d = CMDQVDevice()  // 4 VINTFs, 8 VCMDQs, 16 SIDs
    let q = CMDQVDevice(configuration: .qemuGuest)  // 1 VINTF, 2 VCMDQs
    d.write32(1, at: Off.vintfConfig(4))
    _ = d.read32(at: Off.page0(8))
    _ = d.read32(at: Off.alloc(8))
    _ = q.read32(at: Off.sidMatch(1, 0))
    _ = q.read32(at: Off.lpage0(1, 0))
    #expect(d.accessFaults.map(\.reason) == [.absentInConfiguration, .absentInConfiguration, .absentInConfiguration])
    #expect(q.accessFaults.map(\.reason) == [.absentInConfiguration, .absentInConfiguration])
    var small = CMDQVConfiguration.default
    small.log2SIDsPerVINTF = 2
    let s = CMDQVDevice(configuration: small)
    s.write32(1, at: Off.sidMatch(0, 4))
    #expect(s.accessFaults.map(\.reason) == [.absentInConfiguration])
    s.write32(3, at: Off.sidMatch(0, 3))
    expectReg(s, Off.sidMatch(0, 3), 3)
  }

  @Test func readOnlyAndReservedBitsKeepTheirValue() {
    let d = CMDQVDevice()
    d.write32(0xFFFF_FFFF, at: Off.vintfConfig(1))
    expectReg(d, Off.vintfConfig(1), 0x3FFFF, "VINTF CONFIG [31:18] reserved")
    d.write32(0xFFFF_FFFF, at: Off.alloc(2))
    expectReg(d, Off.alloc(2), 0x1F_80FF, "CMDQ_ALLOC")
    d.write32(0xFFFF_FFFF, at: Off.page0(0) + Off.gerror)
    expectReg(d, Off.page0(0) + Off.gerror, 0, "GERROR is hardware-owned")
    d.write32(0xFFFF_FFFF, at: Off.page0(0) + Off.qstatus)
    expectReg(d, Off.page0(0) + Off.qstatus, 0)
    d.write32(0xFFFF_FFFF, at: Off.page0(0) + Off.cons)
    expectReg(d, Off.page0(0) + Off.cons, 0xFFFFF, "CONS.ERR is read-only")
  }

  @Test func logicalPagesResolveThroughCMDQAlloc() {
    let d = CMDQVDevice()
    // Reset: every CMDQ_ALLOC is 0, so all name (VINTF0, LVCMDQ0): the lowest wins.
    d.write32(5, at: Off.lpage0(0, 0) + Off.prod)
    expectReg(d, Off.page0(0) + Off.prod, 5)
    _ = d.read32(at: Off.lpage0(1, 0))
    #expect(d.accessFaults.last?.reason == .unassignedLogicalQueue)
    // VCMDQ5 -> (VINTF1, LVCMDQ1), ALLOC clear: resolution uses the assignment only.
    d.write32(1 << 15 | 1 << 1, at: Off.alloc(5))
    d.write32(0x77, at: Off.lpage0(1, 1) + Off.prod)
    expectReg(d, Off.page0(5) + Off.prod, 0x77)
    d.write64(0x9000_0004, at: Off.lpage1(1, 1))
    #expect(d.read64(at: Off.page1(5)) == 0x9000_0004)
    // Re-assigning moves the alias.
    d.write32(2 << 15 | 1 << 1, at: Off.alloc(5))
    _ = d.read32(at: Off.lpage0(1, 1))
    #expect(d.accessFaults.last?.reason == .unassignedLogicalQueue)
    expectReg(d, Off.lpage0(2, 1) + Off.prod, 0x77)
  }
}
