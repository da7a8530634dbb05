import IOMMUFD
import Testing

/// Page faults through a fault queue (`IOMMU_TEST_OP_TRIGGER_IOPF`,
/// `iommufd_fault_iopf_handler`, `iommufd_fault_fops_read`/`_write`,
/// `iommufd_auto_response_faults`; drivers/iommu/iommufd/eventq.c and
/// selftest.c, v6.17): every check with the kernel's errno.
@Suite struct PageFaultTests {
  /// The fixture with an iopf nested HWPT the device is attached to.
  func setUp() throws -> (SelftestFixture, fault: UInt32, hwpt: UInt32) {
    let f = try SelftestFixture(.mockVIOMMU)
    let fault = try f.ctx.allocFaultQueue()
    let hwpt = try f.ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .faultIDValid, data: .selftest(), faultID: fault)
    _ = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try f.ctx.testMockDomainReplace(stdev: f.stdev, pt: hwpt)
    return (f, fault, hwpt)
  }

  func trigger(_ f: SelftestFixture, pasid: UInt32 = 1, grpid: UInt32) throws -> PageFaultGroup? {
    try f.ctx.testTriggerIOPF(device: f.device, pasid: pasid, grpid: grpid, perm: HWPTPageFault.permRead, addr: 0x1000)
  }

  func response(cookie: UInt32, code: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: cookie >> UInt32(8 * $0)) }
      + (0..<4).map { UInt8(truncatingIfNeeded: code >> UInt32(8 * $0)) }
  }

  @Test func triggerChecks() throws {
    let (f, _, _) = try setUp()
    expectErrno(.enoent) { try f.ctx.testTriggerIOPF(device: 99, pasid: 0, grpid: 0, perm: 0, addr: 0) }
    expectErrno(.enoent) { try f.ctx.testTriggerIOPF(device: f.stdev, pasid: 0, grpid: 0, perm: 0, addr: 0) }
    // Without PASID: the RID attachment; flags LAST_PAGE only.
    let group = try #require(try trigger(f, pasid: 0, grpid: 5))
    #expect(group.faults.map(\.flags) == [HWPTPageFault.flagLastPage])
    f.teardown()
  }

  @Test func unroutedFaultsAreAbortedWithoutAnError() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    // The auto domain has no fault queue.
    #expect(try trigger(f, grpid: 1) == nil)
    // A paging HWPT with a fault queue: only without PASID.
    let fault = try f.ctx.allocFaultQueue()
    let paging = try f.ctx.allocHWPT(device: f.device, pt: f.ioas, flags: .faultIDValid, faultID: fault)
    try f.ctx.testMockDomainReplace(stdev: f.stdev, pt: paging)
    #expect(try trigger(f, pasid: 1, grpid: 1) == nil)
    #expect(try trigger(f, pasid: 0, grpid: 1) != nil)
    // A detached device has nothing to route to.
    try f.ctx.detachDevice(f.device)
    #expect(try trigger(f, pasid: 0, grpid: 2) == nil)
    // The detach answered the pending group.
    let queue = try #require(f.ctx.object(fault) as? FaultQueue)
    #expect(queue.deliver.isEmpty)
    #expect(queue.responses == [PageResponse(devID: f.device, grpid: 1, code: PageResponse.invalid, automatic: true)])
    f.teardown()
  }

  @Test func readDeliversWholeGroupsWithTheLowestFreeCookie() throws {
    let (f, fault, _) = try setUp()
    for grpid in 1...3 as ClosedRange<UInt32> { _ = try trigger(f, grpid: grpid) }
    expectErrno(.espipe) { try f.ctx.readFaults(fault, count: 39) }
    expectErrno(.espipe) { try f.ctx.readFaults(fault, count: -40) }
    expectErrno(.ebadf) { try f.ctx.readFaults(f.viommu, count: 40) }
    // count 0: nothing, no error.
    #expect(try f.ctx.readFaults(fault, count: 0).isEmpty)
    let two = HWPTPageFault.records(in: try f.ctx.readFaults(fault, count: 80))
    #expect(two.map(\.grpid) == [1, 2] && two.map(\.cookie) == [1, 2])
    #expect(two.allSatisfy { $0.devID == f.device && $0.addr == 0x1000 && $0.length == 0 })
    // Answer cookie 1; the next group gets cookie 1 again.
    #expect(try f.ctx.writeFaultResponses(fault, response(cookie: 1, code: PageResponse.success)) == 8)
    let third = HWPTPageFault.records(in: try f.ctx.readFaults(fault, count: 400))
    #expect(third.map(\.grpid) == [3] && third.map(\.cookie) == [1])
    #expect(try f.ctx.readFaults(fault, count: 40).isEmpty)
    f.teardown()
  }

  @Test func writeChecks() throws {
    let (f, fault, _) = try setUp()
    _ = try trigger(f, grpid: 7)
    _ = try f.ctx.readFaults(fault, count: 40)
    expectErrno(.espipe) { try f.ctx.writeFaultResponses(fault, [0, 0, 0]) }
    expectErrno(.einval) { try f.ctx.writeFaultResponses(fault, response(cookie: 1, code: 2)) }
    expectErrno(.einval) { try f.ctx.writeFaultResponses(fault, response(cookie: 9, code: 0)) }
    expectErrno(.ebadf) { try f.ctx.writeFaultResponses(99, response(cookie: 1, code: 0)) }
    // A good record then a bad one: the good one counts, no error.
    #expect(
      try f.ctx.writeFaultResponses(
        fault, response(cookie: 1, code: PageResponse.invalid) + response(cookie: 1, code: 0)) == 8)
    let queue = try #require(f.ctx.object(fault) as? FaultQueue)
    #expect(queue.responses == [PageResponse(devID: f.device, grpid: 7, code: PageResponse.invalid, automatic: false)])
    #expect(queue.response.isEmpty)
    // A closed fd is EBADF for both.
    try f.ctx.closeFaultQueueFile(fault)
    expectErrno(.ebadf) { try f.ctx.readFaults(fault, count: 40) }
    expectErrno(.ebadf) { try f.ctx.writeFaultResponses(fault, response(cookie: 1, code: 0)) }
    f.teardown()
  }

  @Test func replaceAndDestroyAnswerWhatIsLeft() throws {
    let (f, fault, hwpt) = try setUp()
    _ = try trigger(f, grpid: 1)
    _ = try trigger(f, grpid: 2)
    _ = try f.ctx.readFaults(fault, count: 40)
    let queue = try #require(f.ctx.object(fault) as? FaultQueue)
    // Replacing away answers both: the unread ones first, then those read.
    try f.ctx.testMockDomainReplace(stdev: f.stdev, pt: f.ioas)
    #expect(queue.responses.map(\.grpid) == [2, 1])
    #expect(queue.responses.allSatisfy { $0.code == PageResponse.invalid && $0.automatic })
    #expect(queue.deliver.isEmpty && queue.response.isEmpty)
    // Groups left when the queue is destroyed are answered too.
    try f.ctx.testMockDomainReplace(stdev: f.stdev, pt: hwpt)
    _ = try trigger(f, grpid: 3)
    try f.ctx.testMockDomainReplace(stdev: f.stdev, pt: f.ioas)
    try f.ctx.destroy(hwpt)
    let extra = try f.ctx.allocHWPT(device: f.device, pt: f.viommu, flags: .faultIDValid, data: .selftest(), faultID: fault)
    try f.ctx.testMockDomainReplace(stdev: f.stdev, pt: extra)
    _ = try trigger(f, grpid: 4)
    try f.ctx.testMockDomainReplace(stdev: f.stdev, pt: f.ioas)
    #expect(queue.responses.map(\.grpid) == [2, 1, 3, 4])
    try f.ctx.destroy(extra)
    try f.ctx.closeFaultQueueFile(fault)
    try f.ctx.destroy(fault)
    f.teardown()
  }

  @Test func destroyingTheQueueAnswersPendingGroups() throws {
    let f = try SelftestFixture(.mockVIOMMU)
    let fault = try f.ctx.allocFaultQueue()
    let paging = try f.ctx.allocHWPT(device: f.device, pt: f.ioas, flags: .faultIDValid, faultID: fault)
    try f.ctx.testMockDomainReplace(stdev: f.stdev, pt: paging)
    let group = try #require(try trigger(f, pasid: 0, grpid: 9))
    let queue = try #require(f.ctx.object(fault) as? FaultQueue)
    #expect(queue.deliver.first === group)
    // close() detaches first (auto-response), then destroys.
    let report = f.ctx.close()
    #expect(report.isClean)
    #expect(queue.responses == [PageResponse(devID: f.device, grpid: 9, code: PageResponse.invalid, automatic: true)])
  }
}
