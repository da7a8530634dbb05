import CMDQVRegisters
import Testing

@testable import CMDQVModel

@Suite struct CommandTests {
  @Test func illegalCommandStallsUntilGERRORNThenResumes() {
    let d = CMDQVDevice(configuration: config(latency: 0, commandsPerCycle: 4))
    let q = d.makeQueue()
    q.submit([.tlbiNHASID(asid: 1), .raw(opcode: 0x7F), .tlbiNHASID(asid: 2), .sync()])
    d.step()
    #expect(q.cons & 0xFFFFF == 1, "CONS stays on the faulting entry")
    #expect(q.cons >> 24 & 0x7F == 1, "CONS.ERR = ILL")
    expectReg(d, q.page0 + Off.gerror, 1, "GERROR.CMDQ_ERR toggled")
    #expect(d.commandErrors.count == 1 && d.commandErrors[0].code == 1 && d.commandErrors[0].consIndex == 1)
    d.step(cycles: 10)
    #expect(d.executedCommands.count == 1, "nothing consumed while the error is pending")
    #expect(d.commandErrors.count == 1, "no new error while stalled")
    // The driver's skip_err: overwrite the bad entry with CMD_SYNC, then ack.
    d.memory.storeCommand(.sync(), at: q.base + 16)
    d.write32(d.read32(at: q.page0 + Off.gerror), at: q.page0 + Off.gerrorn)
    #expect(q.cons >> 24 == 0, "CONS.ERR cleared on ack")
    #expect(d.executedCommands.count == 1, "resumes on the next cycle, not at the write")
    d.step()
    #expect(q.cons == 4)
    #expect(d.executedCommands.map { $0.opcode } == [.tlbiNHASID, .sync, .tlbiNHASID, .sync])
  }

  @Test func secondErrorTogglesGERRORAgain() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue()
    q.submit([.raw(opcode: 0), .raw(opcode: 0)])
    d.step()
    d.write32(1, at: q.page0 + Off.gerrorn)
    d.step()  // re-executes the same bad entry
    expectReg(d, q.page0 + Off.gerror, 0, "toggled back: pending again")
    #expect(d.commandErrors.count == 2 && d.interruptCount == 2)
  }

  @Test func fetchFromUnbackedMemoryIsAbort() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(base: 0x7000_0000, log2Size: 8)
    d.memory.unback(base: 0x7000_0000, length: 0x1000)
    d.write32(1, at: q.page0 + Off.prod)
    d.step()
    #expect(q.cons >> 24 == 2)
    #expect(d.commandErrors.first?.command == nil)
  }

  @Test func sidReplacementIsVisibleInExecutedCommands() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(vintf: 1, hypOwn: false, vmid: 7)
    d.write32(0x1234, at: Off.sidReplace(1, 3))
    d.write32(0x42 << 1 | 1, at: Off.sidMatch(1, 3))
    q.submit([.atcInv(streamID: 0x42, address: 0x1000), .tlbiNHASID(asid: 5, vmid: 99), .tlbiNHVA(asid: 5, address: 0x2000), .sync()], from: .guest(vintf: 1))
    d.step(cycles: 2)
    #expect(d.commandErrors.isEmpty)
    let e = d.executedCommands
    #expect(e.count == 4)
    #expect(e[0].streamID == 0x1234 && e[0].virtualStreamID == 0x42)
    #expect(e[1].vmid == 7 && e[2].vmid == 7, "the VINTF's VMID is forced into TLBIs")
    #expect(e[1].asid == 5)
    #expect(e[0].source == .vcmdq(index: q.global, vintf: 1, lvcmdq: 0))
  }

  @Test func unmatchedVSIDIsRejected() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(vintf: 1, hypOwn: false)
    d.write32(0x1234, at: Off.sidReplace(1, 0))
    d.write32(0x42 << 1, at: Off.sidMatch(1, 0))  // ENABLE clear
    d.write32(0x43 << 1 | 1, at: Off.sidMatch(1, 1))
    q.submit([.atcInv(streamID: 0x42)])
    d.step()
    #expect(d.executedCommands.isEmpty)
    #expect(d.commandErrors.first?.code == 4)
    #expect(q.cons >> 24 == 4, "ILL_ACCESS")
  }

  @Test func vSIDWiderThan20BitsNeverMatches() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(vintf: 1, hypOwn: false)
    d.write32(0x5 << 1 | 1, at: Off.sidMatch(1, 0))
    q.submit([.atcInv(streamID: 0x10_0005)])
    d.step()
    #expect(d.commandErrors.first?.code == 4)
  }

  @Test(arguments: [
    SMMUCommand.cfgiSTE(streamID: 1), .cfgiCD(streamID: 1), .tlbiNHAll(), .tlbiNSNHAll(), .tlbiNHVA(asid: 1, address: 0).withOpcode(0x13),
    .raw(opcode: 0x28), .raw(opcode: 0x41),
  ])
  func guestOwnedVINTFRejectsOtherCommandsWithIllAccess(command: SMMUCommand) {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(vintf: 2, hypOwn: false)
    q.submit([command])
    d.step()
    #expect(d.commandErrors.first?.code == 4, "\(command)")
  }

  @Test func hypervisorOwnedVINTFAcceptsEverythingWithoutRewriting() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(vintf: 0, hypOwn: true, vmid: 3)
    let all = CommandOpcode.allCases.filter { $0 != .sync }.map { SMMUCommand.raw(opcode: $0.rawValue, dword0High: 0x00AB_0000_0000 >> 8) }
    q.submit(all + [.sync()])
    d.step(cycles: 20)
    #expect(d.commandErrors.isEmpty)
    #expect(d.executedCommands.count == all.count + 1)
    #expect(d.executedCommands.map(\.command) == all + [.sync()])
  }

  @Test(arguments: [(UInt8(0), false), (1, true), (2, true), (3, true)])
  func cmdSyncOnAVCMDQAcceptsOnlyCSNone(cs: UInt8, illegal: Bool) {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue()
    q.submit([.sync(cs: cs)])
    d.step()
    #expect((d.commandErrors.first?.code == 1) == illegal)
  }

  @Test func cmdSyncCS3IsIllegalOnTheSMMUQueueToo() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    d.memory.backRange(base: 0x5000_0000, length: 0x1000)
    d.smmu.write64(0x5000_0000 | 4, at: SOff.cmdqBase)
    d.smmu.write32(1 << 3, at: SOff.cr0)
    d.memory.storeCommand(.sync(cs: 2), at: 0x5000_0000)
    d.memory.storeCommand(.sync(cs: 3), at: 0x5000_0010)
    d.smmu.write32(2, at: SOff.cmdqProd)
    d.step()
    #expect(d.smmu.read32(at: SOff.cmdqCons) == 1 | 1 << 24)
    #expect(d.smmu.read32(at: SOff.gerror) == 1)
    #expect(d.smmuInterruptCount == 1 && d.interruptCount == 0)
  }

  @Test func ssecOnCFGIIsIllegal() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue()
    var c = SMMUCommand.cfgiSTE(streamID: 1)
    c.dword0 |= 1 << 10
    q.submit([c])
    d.step()
    #expect(d.commandErrors.first?.code == 1)
  }

  @Test func logCanBeDisabledButIsOnByDefault() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    #expect(d.recordsExecutedCommands)
    let q = d.makeQueue()
    d.recordsExecutedCommands = false
    q.submit([.tlbiNHASID(asid: 1)])
    d.step()
    #expect(q.cons == 1 && d.executedCommands.isEmpty)
  }
}

extension SMMUCommand {
  func withOpcode(_ op: UInt8) -> SMMUCommand { SMMUCommand(dword0: dword0 & ~0xFF | UInt64(op), dword1: dword1) }
}
