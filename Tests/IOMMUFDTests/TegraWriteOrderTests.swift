import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// The exact register writes of each driver path, against tegra241-cmdqv.c
/// (v7.x): reset, VINTF init/deinit, VCMDQ init/deinit, SID pairs
/// (`tegra241_vintf_init_vsid`) and user LVCMDQ alloc/destroy. `SMMU_CMDQ_PROD` stands for the flush
/// CMD_SYNC on the SMMU main queue (`tegra241_vcmdq_hw_flush_timeout`).
@Suite struct TegraWriteOrderTests {
  /// `tegra241_vcmdq_hw_deinit` of VINTF`v` LVCMDQ`l` (no error pending).
  static func vcmdqDeinit(_ v: Int, _ l: Int) -> [String] {
    let q = "VINTF\(v)_LVCMDQ\(l)_"
    return [q + "CONFIG=0x0", "SMMU_CMDQ_PROD", q + "PROD=0x0", q + "CONS=0x0", q + "BASE=0x0", q + "CONS_INDX_BASE=0x0"]
  }

  /// `tegra241_vintf_hw_deinit` with no LVCMDQs: CONFIG=0, then every SID
  /// pair MATCH=0, REPLACE=0.
  static func vintfDeinitTail(_ v: Int, sids: Int = 16) -> [String] {
    ["VINTF\(v)_CONFIG=0x0"] + (0..<sids).flatMap { ["VINTF\(v)_SID_MATCH\($0)=0x0", "VINTF\(v)_SID_REPLACE\($0)=0x0"] }
  }

  static func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

  @Test func hwResetThenVINTF0Init() throws {
    let system = try CMDQVSystem(boot: false)
    let log = WriteLog(system.device)
    try system.boot()
    let cmdqv = system.cmdqv
    let config = UInt64(system.device.read32(at: 0)) & ~1
    var expected = ["SMMU_CMDQ_PROD"]  // arm_smmu_device_reset zeroes the main queue's PROD
    // 1. CONFIG & ~EN, then | EN (R-M-W of the reset value).
    expected += ["CMDQV_CONFIG=\(Self.hex(config))", "CMDQV_CONFIG=\(Self.hex(config | 1))"]
    // 2. Static assignment, ALLOCATED clear.
    for q in 0..<cmdqv.numVCMDQs {
      let v = q / cmdqv.numLVCMDQsPerVINTF, l = q % cmdqv.numLVCMDQsPerVINTF
      expected.append("CMDQV_CMDQ_ALLOC\(q)=\(Self.hex(UInt64(v << 15 | l << 1)))")
    }
    // 3. vintf_hw_init(VINTF0, hyp_own): deinit (descending, each unmapped after
    //    its deinit), CONFIG=0, SID pairs; CONFIG=HYP_OWN, CONFIG=HYP_OWN|EN;
    //    then ascending: map, deinit, BASE, CONFIG=EN.
    for l in (0..<cmdqv.numLVCMDQsPerVINTF).reversed() {
      expected += Self.vcmdqDeinit(0, l) + ["CMDQV_CMDQ_ALLOC\(l)=\(Self.hex(UInt64(l << 1)))"]
    }
    expected += Self.vintfDeinitTail(0) + ["VINTF0_CONFIG=0x20000", "VINTF0_CONFIG=0x20001"]
    for l in 0..<cmdqv.numLVCMDQsPerVINTF {
      let base = try #require(cmdqv.vintf0?.lvcmdqs[l]).queueBase
      expected += ["CMDQV_CMDQ_ALLOC\(l)=\(Self.hex(UInt64(l << 1 | 1)))"] + Self.vcmdqDeinit(0, l)
      expected += ["VINTF0_LVCMDQ\(l)_BASE=\(Self.hex(base))", "VINTF0_LVCMDQ\(l)_CONFIG=0x1"]
    }
    #expect(log.cmdqvWrites == expected)
    system.expectNoViolations()
    #expect(system.device.accessFaults.isEmpty)
  }

  @Test func userVINTFInitAndDeinit() throws {
    let system = try CMDQVSystem()
    let log = WriteLog(system.device)
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let vmid = try #require((system.context.object(vm.hwpt) as? HWPTPaging)?.vmid)
    let config = UInt64(vmid) << 1
    #expect(
      log.cmdqvWrites
        == Self.vintfDeinitTail(1) + ["VINTF1_CONFIG=\(Self.hex(config))", "VINTF1_CONFIG=\(Self.hex(config | 1))"])
    log.clear()
    try vm.addVDevice(virtualStreamID: 0x7)
    // The nested HWPT holds the vIOMMU: move the device back to the nest
    // parent and destroy it first (neither writes a register).
    try system.context.vfioAttachPT(device: vm.device, pt: vm.hwpt)
    try system.context.destroy(try #require(vm.nestedHWPT))
    #expect(log.cmdqvWrites == ["VINTF1_SID_REPLACE0=0x100", "VINTF1_SID_MATCH0=0xf"])
    try system.context.destroy(try #require(vm.vdevice))
    vm.mapping.munmap()
    log.clear()
    try system.context.destroy(vm.viommu.id)
    #expect(log.cmdqvWrites == Self.vintfDeinitTail(1))
  }

  @Test func vdeviceInitAndDestroyValues() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0xABCDE)
    let log = WriteLog(system.device)
    try vm.addVDevice(virtualStreamID: 0xF_FFFF)
    // SID_REPLACE = pSID first, then SID_MATCH = (vSID << 1) | 1.
    #expect(log.cmdqvWrites == ["VINTF1_SID_REPLACE0=0xabcde", "VINTF1_SID_MATCH0=0x1fffff"])
    log.clear()
    try system.context.destroy(try #require(vm.vdevice))
    #expect(log.cmdqvWrites == ["VINTF1_SID_MATCH0=0x0", "VINTF1_SID_REPLACE0=0x0"])
  }

  @Test func userLVCMDQAllocAndDestroy() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let log = WriteLog(system.device)
    try vm.addQueue(log2Size: 8)
    let pa = vm.layout.ramPA + vm.layout.queueAddress(0) - vm.layout.ramIPA
    // map → tegra241_vcmdq_hw_init_user (v7.x: deinit first) → BASE.
    #expect(
      log.cmdqvWrites
        == ["CMDQV_CMDQ_ALLOC2=0x8001"] + Self.vcmdqDeinit(1, 0) + ["VINTF1_LVCMDQ0_BASE=\(Self.hex(pa | 8))"])
    // The kernel never enables a user LVCMDQ.
    #expect(!system.device.vcmdq(2).configEnabled)
    log.clear()
    try vm.destroyQueues()
    // hw_deinit (CONFIG=0 → flush → PROD/CONS/BASE/CONS_INDX_BASE=0) → unmap.
    #expect(log.cmdqvWrites == Self.vcmdqDeinit(1, 0) + ["CMDQV_CMDQ_ALLOC2=0x8000"])
    system.expectNoViolations()
  }

  @Test func destroyingAQueueWithAPendingErrorAcksGERRORBeforeUnmap() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let q0 = try vm.addQueue()
    try q0.enable()
    try q0.submit([.cfgiSTE(streamID: 1)], wait: false)
    system.step(cycles: 100)
    #expect(q0.pendingError() != nil)
    let gerror = UInt64(system.device.vcmdq(2).gerror)
    let log = WriteLog(system.device)
    try vm.destroyQueues()
    #expect(
      log.cmdqvWrites
        == Self.vcmdqDeinit(1, 0) + ["VINTF1_LVCMDQ0_GERRORN=\(Self.hex(gerror))", "CMDQV_CMDQ_ALLOC2=0x8000"])
    #expect(system.cmdqv.log.contains { $0.contains("VINTF1: VCMDQ2/LVCMDQ0: uncleared error detected, resetting") })
    #expect(!system.device.vcmdq(2).errorPending)
  }

  @Test func twoQueuesMapAscendingAndUnmapDescending() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    let log = WriteLog(system.device)
    try vm.addQueue()
    try vm.addQueue()
    #expect(log.cmdqvWrites.filter { $0.hasPrefix("CMDQV_CMDQ_ALLOC") } == ["CMDQV_CMDQ_ALLOC2=0x8001", "CMDQV_CMDQ_ALLOC3=0x8003"])
    log.clear()
    try vm.tearDown()
    #expect(log.cmdqvWrites.filter { $0.hasPrefix("CMDQV_CMDQ_ALLOC") } == ["CMDQV_CMDQ_ALLOC3=0x8002", "CMDQV_CMDQ_ALLOC2=0x8000"])
    system.expectNoViolations()
  }
}
