import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// IOMMU_HWPT_INVALIDATE on a Tegra vIOMMU (`arm_vsmmu_cache_invalidate` →
/// `arm_vsmmu_convert_user_cmd`, arm-smmu-v3-iommufd.c, v6.17): commands are rewritten
/// and issued on the SMMU main queue.
@Suite struct TegraInvalidateTests {
  static func setUp() throws -> (CMDQVSystem, GuestVM, UInt16) {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x1234)
    try vm.addVDevice(virtualStreamID: 0x56)
    let vmid = try #require((system.context.object(vm.hwpt) as? HWPTPaging)?.vmid)
    system.device.clearExecutedCommands()
    return (system, vm, vmid)
  }

  @Test func commandsAreRewrittenForTheVM() throws {
    let (system, vm, vmid) = try Self.setUp()
    let nsnhAll = SMMUCommand(dword0: 0xABCD_0000_0000_0030, dword1: 0x5000)
    let commands: [SMMUCommand] = [
      nsnhAll,
      .tlbiNHVA(asid: 3, vmid: 0x77, address: 0x1000),
      .raw(opcode: CommandOpcode.tlbiNHVAA.rawValue, dword0High: 0x0077_0000_00, dword1: 0x2000),
      .tlbiNHAll(vmid: 0x99),
      .tlbiNHASID(asid: 9, vmid: 0x99),
      .atcInv(streamID: 0x56, address: 0x3000),
      .cfgiCD(streamID: 0x56, substreamID: 4),
      .cfgiCDAll(streamID: 0x56),
    ]
    let handled = try system.context.invalidate(viommu: vm.viommu.id, commands: commands)
    #expect(handled == commands.count)
    let executed = system.device.executedCommands
    #expect(executed.allSatisfy { $0.source == .smmuCMDQ })
    #expect(
      executed.map(\.opcode)
        == [.tlbiNHAll, .tlbiNHVA, .tlbiNHVAA, .tlbiNHAll, .tlbiNHASID, .atcInv, .cfgiCD, .cfgiCDAll, .sync])
    // TLBI_NSNH_ALL: only the opcode changes (to NH_ALL), then the VMID is forced.
    var expectedNH = nsnhAll
    expectedNH.dword0 = (nsnhAll.dword0 & ~0xFF) | UInt64(CommandOpcode.tlbiNHAll.rawValue)
    expectedNH.vmid = vmid
    #expect(executed[0].command == expectedNH)
    for i in 1...4 { #expect(executed[i].vmid == vmid, "command \(i)") }
    #expect(executed[1].asid == 3 && executed[1].address == 0x1000)
    for i in 5...7 { #expect(executed[i].streamID == 0x1234, "command \(i)") }
    #expect(executed[6].command.substreamID == 4)
    #expect(executed[5].address == 0x3000)
  }

  @Test func unknownVSIDIsEIOWithTheCountBeforeIt() throws {
    let (system, vm, _) = try Self.setUp()
    let commands: [SMMUCommand] = [
      .tlbiNHASID(asid: 1), .atcInv(streamID: 0x56), .atcInv(streamID: 0x57), .tlbiNHASID(asid: 2),
    ]
    #expect(throws: InvalidationError(errno: .eio, handledCount: 2)) {
      try system.context.invalidate(viommu: vm.viommu.id, commands: commands)
    }
    // The kernel issues in blocks of CMDQ_BATCH_ENTRIES - 1 and jumps to `out`
    // on a conversion error: the converted commands of the unfinished block
    // are not issued.
    #expect(system.device.executedCommands.isEmpty)
  }

  @Test(arguments: [
    SMMUCommand.cfgiSTE(streamID: 0x56), .sync(), .raw(opcode: 0x01), .raw(opcode: 0x0C), .raw(opcode: 0xFF),
  ])
  func unsupportedOpcodeIsEIO(command: SMMUCommand) throws {
    let (system, vm, _) = try Self.setUp()
    #expect(throws: InvalidationError(errno: .eio, handledCount: 1)) {
      try system.context.invalidate(viommu: vm.viommu.id, commands: [.tlbiNHASID(asid: 1), command])
    }
  }

  @Test func fullBlocksBeforeTheFailureAreIssued() throws {
    let (system, vm, _) = try Self.setUp()
    var commands = (0..<100).map { SMMUCommand.tlbiNHASID(asid: UInt16($0)) }
    commands.append(.cfgiSTE(streamID: 0x56))
    #expect(throws: InvalidationError(errno: .eio, handledCount: 100)) {
      try system.context.invalidate(viommu: vm.viommu.id, commands: commands)
    }
    // One block of 63 commands (+ its CMD_SYNC) went out; the next 37 did not.
    let executed = system.device.executedCommands
    #expect(executed.filter { $0.opcode == .tlbiNHASID }.count == 63)
    #expect(executed.last?.opcode == .sync)
  }

  @Test func aVSIDOfAnotherVIOMMUIsUnknown() throws {
    let (system, vm, _) = try Self.setUp()
    let other = try GuestVM(system: system, physicalStreamID: 0x2000)
    try other.addVDevice(virtualStreamID: 0x99)
    #expect(throws: InvalidationError(errno: .eio, handledCount: 0)) {
      try system.context.invalidate(viommu: vm.viommu.id, commands: [.atcInv(streamID: 0x99)])
    }
  }
}
