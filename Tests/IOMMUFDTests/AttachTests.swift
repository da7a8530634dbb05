import IOMMUFD
import Testing

/// Attach, replace and detach (`iommufd_device_attach` / `_replace` /
/// `_detach`, device.c, v6.17) on the selftest-style mock.
@Suite struct AttachTests {
  @Test func lookupsAndTypes() throws {
    let f = try Fixture()
    let ctx = f.ctx
    let before = tableSnapshot(ctx)
    expectErrno(.enoent) { try ctx.attachDevice(999, pt: f.hwpt) }
    expectErrno(.enoent) { try ctx.attachDevice(f.ioas, pt: f.hwpt) }
    expectErrno(.enoent) { try ctx.attachDevice(f.device, pt: 999) }
    expectErrno(.einval) { try ctx.attachDevice(f.device, pt: f.viommu) }
    expectErrno(.einval) { try ctx.attachDevice(f.device, pt: f.device) }
    expectErrno(.einval) { try ctx.replaceDevice(f.device, pt: f.hwpt) }  // not attached
    try ctx.detachDevice(f.device)  // not attached: nothing happens
    expectErrno(.enoent) { try ctx.detachDevice(999) }
    #expect(tableSnapshot(ctx) == before)
  }

  @Test func attachHoldsTheHWPTAndTheDevice() throws {
    let f = try Fixture()
    let ctx = f.ctx
    let hwptUsers = ctx.users(of: f.hwpt)!
    #expect(try ctx.attachDevice(f.device, pt: f.hwpt) == f.hwpt)
    #expect(ctx.users(of: f.hwpt) == hwptUsers + 1)
    #expect(ctx.users(of: f.device) == 2)
    let device = try #require(ctx.object(f.device) as? IOMMUFDDevice)
    #expect(device.attachedHWPT?.id == f.hwpt)
    #expect(device.installedSTE == .stage2(vmid: (ctx.object(f.hwpt) as! HWPTPaging).vmid!))
    // Attached again (to any HWPT) → EBUSY; the attachment is unchanged.
    expectErrno(.ebusy) { try ctx.attachDevice(f.device, pt: f.hwpt) }
    expectErrno(.ebusy) { try ctx.attachDevice(f.device, pt: f.ioas) }
    #expect(ctx.users(of: f.hwpt) == hwptUsers + 1)
    expectErrno(.ebusy) { try ctx.destroy(f.hwpt) }
    expectErrno(.ebusy) { try ctx.destroy(f.device) }
    // Replace to the same HWPT changes no reference.
    #expect(try ctx.replaceDevice(f.device, pt: f.hwpt) == f.hwpt)
    #expect(ctx.users(of: f.hwpt) == hwptUsers + 1)
    try ctx.detachDevice(f.device)
    #expect(ctx.users(of: f.hwpt) == hwptUsers)
    #expect(ctx.users(of: f.device) == 1)
    #expect(device.installedSTE == nil)
  }

  /// UT `viommu_alloc_nested_iopf` / `vdevice_alloc`: replace to the nested
  /// HWPT before the vDEVICE → ENOENT; after it, the nested HWPT cannot be
  /// destroyed until the device moves back to the IOAS.
  @Test func nestedNeedsTheVDeviceFirst() throws {
    let f = try Fixture()
    let ctx = f.ctx
    let auto = try ctx.attachDevice(f.device, pt: f.ioas)
    let autoObject = try #require(ctx.object(auto) as? HWPTPaging)
    #expect(autoObject.isAutoDomain)
    #expect(ctx.users(of: auto) == 2)
    let device = try #require(ctx.object(f.device) as? IOMMUFDDevice)
    #expect(device.installedSTE == .stage1)
    let fault = try ctx.allocFaultQueue()
    let nested = try ctx.allocHWPT(
      device: f.device, pt: f.viommu, flags: .faultIDValid, data: .selftest(), faultID: fault)
    let before = tableSnapshot(ctx)
    expectErrno(.enoent) { try ctx.replaceDevice(f.device, pt: nested) }
    #expect(tableSnapshot(ctx) == before)
    #expect(device.attachedHWPT === autoObject)
    _ = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try ctx.replaceDevice(f.device, pt: nested)
    // The auto HWPT went away with its last device; its ID is free.
    #expect(ctx.object(auto) == nil)
    #expect(autoObject.state == .destroyed)
    #expect(device.attachedHWPT?.id == nested)
    #expect(device.installedSTE == nil)  // the mock has no STE
    expectErrno(.ebusy) { try ctx.destroy(nested) }
    // Back to the IOAS: a new auto HWPT takes the lowest free ID (the old one).
    #expect(try ctx.replaceDevice(f.device, pt: f.ioas) == auto)
    try ctx.destroy(nested)
    try ctx.closeFaultQueueFile(fault)
    try ctx.destroy(fault)
  }

  @Test func autoDomainsAreSharedAndPerIOMMU() throws {
    let a = MockIOMMU(name: "mockA", streamIDs: 0...0xF)
    let b = MockIOMMU(name: "mockB", streamIDs: 0x10...0x1F, mmioBase: 0x2_0000_0000)
    let ctx = IOMMUFDContext(drivers: [a, b])
    let devA1 = try ctx.bindDevice(streamIDs: [1])
    let devA2 = try ctx.bindDevice(streamIDs: [2])
    let devB = try ctx.bindDevice(streamIDs: [0x11])
    let ioas = try ctx.allocIOAS()
    let autoA = try ctx.attachDevice(devA1, pt: ioas)
    #expect(try ctx.attachDevice(devA2, pt: ioas) == autoA)
    #expect(ctx.users(of: autoA) == 3)
    // The shared auto HWPT is on mockA: EINVAL there means "try the next",
    // so devB gets its own.
    let autoB = try ctx.attachDevice(devB, pt: ioas)
    #expect(autoB != autoA)
    // An explicit paging HWPT of the other IOMMU is EINVAL.
    let hwptB = try ctx.allocHWPT(device: devB, pt: ioas)
    expectErrno(.einval) { try ctx.replaceDevice(devA1, pt: hwptB) }
    try ctx.detachDevice(devA1)
    #expect(ctx.users(of: autoA) == 2)
    // Unbind detaches first; the last device takes the auto HWPT with it.
    try ctx.unbindDevice(devA2)
    #expect(ctx.object(autoA) == nil)
    #expect(ctx.users(of: ioas) == 3)  // table + autoB + hwptB
    // close() detaches devB before the release passes.
    let report = ctx.close()
    #expect(report.detachedDevices == 1)
    #expect(report.isClean)
  }
}
