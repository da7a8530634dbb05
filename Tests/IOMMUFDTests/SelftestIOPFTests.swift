import IOMMUFD
import Testing

/// `IOMMU_TEST_OP_TRIGGER_IOPF` (`iommufd_test_trigger_iopf`,
/// drivers/iommu/iommufd/selftest.c, v6.17) on the selftest mock: its own
/// check, and where its faults go (the fault queue's behaviour is covered by
/// FaultQueueIOTests).
@Suite struct SelftestIOPFTests {
  @Test func triggerChecksAndRouting() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let ctx = f.ctx
    expectErrno(.enoent) { try ctx.testTriggerIOPF(device: 99, pasid: 0, grpid: 0, perm: 0, addr: 0) }
    expectErrno(.enoent) { try ctx.testTriggerIOPF(device: f.stdev, pasid: 0, grpid: 0, perm: 0, addr: 0) }
    // The auto domain has no fault queue: answered INVALID, no error.
    #expect(try ctx.testTriggerIOPF(device: f.device, pasid: 0, grpid: 1, perm: 1, addr: 0) == .answered(.invalid))
    let fault = try ctx.allocFaultQueue()
    let iopf = try ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .faultIDValid, data: .selftest(), faultID: fault)
    _ = try ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: iopf)
    // With and without PASID on a nested HWPT: queued, LAST_PAGE (+ PASID_VALID).
    #expect(try ctx.testTriggerIOPF(device: f.device, pasid: 0, grpid: 2, perm: 1, addr: 0x1000) == .queued(faultID: fault))
    #expect(try ctx.testTriggerIOPF(device: f.device, pasid: 7, grpid: 3, perm: 1, addr: 0x2000) == .queued(faultID: fault))
    let records = try ctx.read(fault: fault, count: 2 * PageFault.recordSize)
    #expect(records.count == 80)
    #expect(records[0] == UInt8(PageFault.flagLastPage))
    #expect(records[40] == UInt8(PageFault.flagLastPage | PageFault.flagPASIDValid) && records[48] == 7)
    // Replacing away answers both INVALID.
    try ctx.testMockDomainReplace(stdev: f.stdev, pt: f.ioas)
    let device = try #require(ctx.object(f.device) as? IOMMUFDDevice)
    #expect(device.pageResponses.map(\.code) == [.invalid, .invalid, .invalid])
    try ctx.destroy(iopf)
    try ctx.closeFaultQueueFile(fault)
    try ctx.destroy(fault)
    f.teardown()
  }
}
