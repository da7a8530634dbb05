import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// A nested HWPT on a Tegra241 CMDQV vIOMMU: `arm_vsmmu_alloc_domain_nested`
/// and `arm_smmu_validate_vste` (arm-smmu-v3-iommufd.c, v6.17), and the
/// attach that `arm_smmu_attach_dev_nested` would do.
@Suite struct TegraNestedHWPTTests {
  typealias D = ARMSMMUv3NestedDomain
  static let v: UInt64 = 1
  static func cfg(_ c: UInt64) -> UInt64 { c << 1 }
  static func eats(_ e: UInt64) -> UInt64 { e << 28 }

  @Test(arguments: [0, 1, 2, 3, 6, 7] as [UInt64])
  func configOtherThanAbortBypassS1IsEIO(config: UInt64) throws {
    let word0 = Self.v | Self.cfg(config)
    if config == 0 {
      #expect(try D.validateVSTE(word0, 0).1 == false)
    } else {
      expectErrno(.eio) { try D.validateVSTE(word0, 0) }
    }
  }

  @Test func validationOrder() throws {
    // 1. V clear: zeroed and accepted, whatever else is set.
    let cleared = try D.validateVSTE(UInt64.max & ~Self.v, UInt64.max)
    #expect(cleared.0 == (0, 0) && cleared.1 == false)
    // 2. forbidden bits (word0 bits 52–58, word1 MEV) → EIO, even with a good CFG.
    expectErrno(.eio) { try D.validateVSTE(Self.v | Self.cfg(5) | 1 << 52, 0) }
    expectErrno(.eio) { try D.validateVSTE(Self.v | Self.cfg(5) | 1 << 58, 0) }
    expectErrno(.eio) { try D.validateVSTE(Self.v | Self.cfg(5), D.mev) }
    // 3 before 4: a bad CFG with a bad EATS is the CFG's EIO (message).
    let error = expectErrno(.eio) { try D.validateVSTE(Self.v | Self.cfg(6), Self.eats(2)) }
    #expect(error?.message.contains("Config") == true)
    // 4. EATS S1CHK (2) or 3 → EIO.
    expectErrno(.eio) { try D.validateVSTE(Self.v | Self.cfg(5), Self.eats(2)) }
    expectErrno(.eio) { try D.validateVSTE(Self.v | Self.cfg(5), Self.eats(3)) }
    // 5. enable_ats only for S1_TRANS with EATS TRANS; EATS is cleared.
    let s1 = try D.validateVSTE(Self.v | Self.cfg(5) | 0xABC0, Self.eats(1) | 0x0800_00FF)
    #expect(s1.0 == (Self.v | Self.cfg(5) | 0xABC0, 0x0800_00FF) && s1.1 == true)
    #expect(try D.validateVSTE(Self.v | Self.cfg(4), Self.eats(1)).1 == false)
    #expect(try D.validateVSTE(Self.v | Self.cfg(0), Self.eats(1)).1 == false)
    // The allowed masks themselves pass (S1CDMAX, S1CTXPTR, S1FMT, S1STALLD…).
    _ = try D.validateVSTE(D.word0Allowed & ~Self.cfg(7) | Self.cfg(5), D.word1Allowed & ~D.eatsMask)
  }

  /// A booted system with a Tegra vIOMMU (VINTF) and a vDEVICE-less device.
  struct Setup {
    let system: CMDQVSystem
    let prep: VMPrep
    let viommu: UInt32
    var ctx: IOMMUFDContext { system.context }
    init() throws {
      system = try CMDQVSystem()
      prep = try VMPrep(system, streamID: 0x100)
      viommu = try prep.allocVIOMMU(system).id
    }
  }

  @Test func allocationChecksInOrder() throws {
    let s = try Setup()
    let ctx = s.ctx
    let before = tableSnapshot(ctx)
    let ste = HWPTUserData.armSMMUv3(ste0: Self.v | Self.cfg(5), ste1: 0)
    // The driver: PASID (FAULT_ID_VALID is stripped by the core) → EOPNOTSUPP.
    expectErrno(.eopnotsupp) { try ctx.allocHWPT(device: s.prep.device, pt: s.viommu, flags: .pasid, data: ste) }
    // iommu_copy_struct_from_user: type, then exact length 16.
    expectErrno(.einval) {
      try ctx.allocHWPT(device: s.prep.device, pt: s.viommu, data: HWPTUserData(type: 1, bytes: ste.bytes))
    }
    for length in [8, 15, 17, 24] {
      expectErrno(.einval) {
        try ctx.allocHWPT(
          device: s.prep.device, pt: s.viommu, data: HWPTUserData(type: 2, bytes: Array(repeating: 0, count: length)))
      }
    }
    expectErrno(.eio) {
      try ctx.allocHWPT(device: s.prep.device, pt: s.viommu, data: .armSMMUv3(ste0: Self.v | Self.cfg(6), ste1: 0))
    }
    // A bad fault ID comes after the driver accepted the vSTE.
    expectErrno(.enoent) {
      try ctx.allocHWPT(device: s.prep.device, pt: s.viommu, flags: .faultIDValid, data: ste, faultID: 77)
    }
    #expect(tableSnapshot(ctx) == before)
    let nested = try ctx.allocHWPT(device: s.prep.device, pt: s.viommu, data: ste)
    expectErrno(.ebusy) { try ctx.destroy(s.viommu) }
    // Invalidation goes through the vIOMMU: the nested domain has no
    // cache_invalidate_user.
    #expect(throws: InvalidationError.self) { try ctx.invalidate(viommu: nested, commands: [.tlbiNHAll()]) }
    try ctx.destroy(nested)
    #expect(tableSnapshot(ctx) == before)
  }

  @Test(arguments: [
    (0xA | 0x1000, 0x1000_0000 | 0x3, "S1_TRANS"), (0x8, 0, "BYPASS"), (0x0, 0, "ABORT"), (0xC, 0, "V clear"),
  ] as [(UInt64, UInt64, String)])
  func attachInstallsTheSTEOfTheVSTE(word0: UInt64, word1: UInt64, kind: String) throws {
    let s = try Setup()
    let ctx = s.ctx
    let valid = kind != "V clear"
    let nested = try ctx.allocHWPT(
      device: s.prep.device, pt: s.viommu, data: .armSMMUv3(ste0: (valid ? Self.v : 0) | word0, ste1: word1))
    let log = WriteLog(s.system.device)
    #expect(try ctx.vfioAttachPT(device: s.prep.device, pt: s.prep.ioas) != 0)
    // arm_smmu_attach_prepare_vmaster: no vDEVICE yet → ENOENT; still on the IOAS.
    expectErrno(.enoent) { try ctx.vfioAttachPT(device: s.prep.device, pt: nested) }
    let device = try #require(ctx.object(s.prep.device) as? IOMMUFDDevice)
    #expect(device.installedSTE == .stage1)
    _ = try ctx.allocVDevice(viommu: s.viommu, device: s.prep.device, virtID: 0x42)
    log.clear()
    try ctx.vfioAttachPT(device: s.prep.device, pt: nested)
    // The physical STE is outside the model: nothing is written to the CMDQV.
    #expect(log.writes.isEmpty)
    let vmid = try #require((ctx.object(s.prep.hwpt) as? HWPTPaging)?.vmid)
    switch kind {
    case "S1_TRANS":
      #expect(
        device.installedSTE
          == .nested(vmid: vmid, word0: Self.v | Self.cfg(7) | 0x1000, word1: 0x3 | D.mev, ats: true))
    case "BYPASS": #expect(device.installedSTE == .stage2(vmid: vmid))
    default: #expect(device.installedSTE == .abort)
    }
    expectErrno(.ebusy) { try ctx.destroy(nested) }
    try ctx.detachDevice(s.prep.device)
    try ctx.destroy(nested)
  }
}
