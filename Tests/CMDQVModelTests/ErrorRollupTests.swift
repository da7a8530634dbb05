import CMDQVRegisters
import Testing

@testable import CMDQVModel

@Suite struct ErrorRollupTests {
  @Test func errorRollsUpIntoEveryMapAndClearsOnAck() {
    let d = CMDQVDevice(configuration: config(latency: 0))  // 4 VINTFs × 2 LVCMDQs
    let q = d.makeQueue(vintf: 2, lidx: 1, hypOwn: false)  // global VCMDQ5
    #expect(q.global == 5)
    q.submit([.raw(opcode: 0x7F)])
    d.step()
    expectReg(d, Off.viErrMapLo, 1 << 2, "VI_ERR_MAP bit for VINTF2")
    expectReg(d, Off.viErrMapHi, 0)
    expectReg(d, Off.cmdqErrMap(0), 1 << 5, "CMDQ_ERR_MAP bit for VCMDQ5")
    #expect(d.read64(at: Off.lvcmdqErrMap(2, 0)) == 1 << 1, "LVCMDQ_ERR_MAP bit for LVCMDQ1")
    #expect(d.read64(at: Off.lvcmdqErrMap(2, 1)) == 0)
    #expect(d.read32(at: Off.vintfStatus(2)) >> 1 & 7 == 1, "VINTF STATUS.STATUS = VCMDQ error")
    #expect(d.interruptCount == 1)
    #expect(d.vintf(2).erroredLVCMDQs == [1])
    d.write32(1, at: q.page0 + Off.gerrorn)
    expectReg(d, Off.viErrMapLo, 0)
    expectReg(d, Off.cmdqErrMap(0), 0)
    #expect(d.read64(at: Off.lvcmdqErrMap(2, 0)) == 0)
    #expect(d.read32(at: Off.vintfStatus(2)) >> 1 & 7 == 0)
  }

  @Test func viIntMaskSuppressesThePulseButNotTheMaps() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(vintf: 1)
    d.write32(1 << 1, at: Off.viIntMaskLo)
    q.submit([.raw(opcode: 0x7F)])
    d.step()
    #expect(d.interruptCount == 0)
    expectReg(d, Off.viErrMapLo, 1 << 1)
  }

  @Test func edgeTriggeredNewErrorPulsesEvenWithTheMapBitSet() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let a = d.makeQueue(vintf: 0, lidx: 0, base: 0x10_0000, log2Size: 4)
    let b = d.makeQueue(vintf: 0, lidx: 1, base: 0x20_0000, log2Size: 4)
    a.submit([.raw(opcode: 0x7F)])
    d.step()
    #expect(d.interruptCount == 1)
    b.submit([.raw(opcode: 0x7F)])
    d.step()
    #expect(d.interruptCount == 2, "VI_ERR_MAP bit 0 was already set; a new error still pulses")
    expectReg(d, Off.viErrMapLo, 1)
    #expect(d.read64(at: Off.lvcmdqErrMap(0, 0)) == 0b11)
  }
}
