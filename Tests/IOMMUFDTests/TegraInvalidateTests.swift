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
    // TLBI_NSNH_ALL is rebuilt whole: `cmd[0] = CMDQ_OP_TLBI_NH_ALL |
    // FIELD_PREP(CMDQ_TLBI_0_VMID, vmid); cmd[1] = 0` (arm_vsmmu_convert_user_cmd, v6.17).
    #expect(executed[0].command == SMMUCommand(dword0: 0x10 | UInt64(vmid) << 32, dword1: 0))
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

/// `arm_vsmmu_cache_invalidate` at byte level (arm-smmu-v3-iommufd.c, v6.17):
/// kcalloc, then `iommu_copy_struct_from_full_user_array`, then conversion.
@Suite struct TegraInvalidateArrayTests {
  @Test func kcallocFailsFirstAndLeavesEntryNumAlone() throws {
    let (system, vm, _) = try TegraInvalidateTests.setUp()
    let tooMany = UInt32(UserDataArray.kmallocMaxSize / 16) + 1
    // ENOMEM comes before the type check; arm_vsmmu_cache_invalidate returns
    // before setting array->entry_num, so the user's own count comes back.
    for type in [UserDataArray.typeARMSMMUv3, 0x77] {
      let result = invalidateBytes(system.context, hwpt: vm.viommu.id, type: type, entryLength: 16, entryNum: tooMany, data: [])
      #expect(result.errno == .enomem)
      #expect(result.entryNum == tooMany)
    }
    #expect(system.device.executedCommands.isEmpty)
  }

  @Test func copyFailuresWriteBackZero() throws {
    let (system, vm, _) = try TegraInvalidateTests.setUp()
    let ctx = system.context
    let id = vm.viommu.id
    let arm = UserDataArray.typeARMSMMUv3
    let good = smmuBytes([.tlbiNHASID(asid: 1), .tlbiNHAll()])
    // Another data_type (VTD_S1 = 0).
    #expect(invalidateBytes(ctx, hwpt: id, type: UserDataArray.typeVTDS1, entryLength: 16, entryNum: 2, data: good) == (.einval, 0))
    // entry_num 0 with the right type: kcalloc(0) succeeds, the copy helper refuses.
    #expect(invalidateBytes(ctx, hwpt: id, type: arm, entryLength: 16, entryNum: 0, data: good) == (.einval, 0))
    // A 24-byte entry with a non-zero tail in the second entry.
    var long = [UInt8]()
    for c in [SMMUCommand.tlbiNHASID(asid: 1), .tlbiNHAll()] { long += c.bytes + [UInt8](repeating: 0, count: 8) }
    long[16 + 24 + 3] = 1
    #expect(invalidateBytes(ctx, hwpt: id, type: arm, entryLength: 24, entryNum: 2, data: long) == (.e2big, 0))
    // The memory ends inside the second entry.
    #expect(invalidateBytes(ctx, hwpt: id, type: arm, entryLength: 16, entryNum: 2, data: Array(good.prefix(20))) == (.efault, 0))
    #expect(system.device.executedCommands.isEmpty)
    // The typed form with no commands passes entry_num 0: EINVAL on SMMUv3.
    var entryNum = -1
    expectErrno(.einval) { try ctx.invalidate(hwpt: id, commands: [], entryNum: &entryNum) }
    #expect(entryNum == 0)
  }

  @Test func longerEntriesWithZeroTailsAndShorterEntriesWork() throws {
    let (system, vm, vmid) = try TegraInvalidateTests.setUp()
    let ctx = system.context
    var long = [UInt8]()
    for c in [SMMUCommand.tlbiNHASID(asid: 1), .atcInv(streamID: 0x56, address: 0x3000)] {
      long += c.bytes + [UInt8](repeating: 0, count: 16)
    }
    #expect(invalidateBytes(ctx, hwpt: vm.viommu.id, type: 1, entryLength: 32, entryNum: 2, data: long) == (nil, 2))
    // 8-byte entries: cmd[1] is zero-filled.
    let short = Array(SMMUCommand.tlbiNHASID(asid: 7).bytes.prefix(8))
    #expect(invalidateBytes(ctx, hwpt: vm.viommu.id, type: 1, entryLength: 8, entryNum: 1, data: short) == (nil, 1))
    let executed = system.device.executedCommands
    #expect(executed.map(\.opcode) == [.tlbiNHASID, .atcInv, .sync, .tlbiNHASID, .sync])
    #expect(executed[1].streamID == 0x1234 && executed[1].address == 0x3000)
    #expect(executed[3].command == SMMUCommand.tlbiNHASID(asid: 7, vmid: vmid))
  }

  /// The example of Docs/Driver.md (`IOMMU_HWPT_INVALIDATE`), statement for
  /// statement.
  @Test func driverDocInvalidateExample() throws {
    let (system, vm, _) = try TegraInvalidateTests.setUp()
    let ctx = system.context
    let viommuID = vm.viommu.id
    var entryNum: UInt32 = 2
    let data = SMMUCommand.tlbiNHASID(asid: 1).bytes + SMMUCommand.sync().bytes
    expectErrno(.eio) {
      try ctx.invalidate(
        hwpt: viommuID, dataType: UserDataArray.typeARMSMMUv3, entryLength: 16, entryNum: &entryNum, data: data)
    }
    #expect(entryNum == 1)
  }

  @Test func theNestedHWPTHasNoCacheInvalidateUser() throws {
    let (system, vm, _) = try TegraInvalidateTests.setUp()
    let nested = try system.context.allocHWPT(
      device: vm.device, pt: vm.viommu.id, data: .armSMMUv3(ste0: 0, ste1: 0))
    #expect(
      invalidateBytes(system.context, hwpt: nested, type: 1, entryLength: 16, entryNum: 1, data: smmuBytes([.tlbiNHAll()]))
        == (.eopnotsupp, 0))
  }
}
