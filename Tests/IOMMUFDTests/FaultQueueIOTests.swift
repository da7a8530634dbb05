import IOMMUFD
import Testing

/// I/O page faults through a fault queue: routing (`find_fault_handler`,
/// io-pgfault.c), the fd's `read()`/`write()` (`iommufd_fault_fops_read`/
/// `_write`, eventq.c) and the automatic answers, v6.17.
@Suite struct FaultQueueIOTests {
  /// The `viommu_alloc_nested_iopf` setup (tools/testing/selftests/iommu/
  /// iommufd.c, v6.17) on the mock: a fault queue, a nested HWPT with it, a
  /// vDEVICE, the device replaced onto the nested HWPT.
  static func setUp() throws -> (Fixture, fault: UInt32, nested: UInt32) {
    let f = try Fixture()
    let fault = try f.ctx.allocFaultQueue()
    let nested = try f.ctx.allocHWPT(
      device: f.device, pt: f.viommu, flags: .faultIDValid, data: HWPTUserData.selftest(), faultID: fault)
    _ = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    try f.ctx.attachDevice(f.device, pt: f.hwpt)
    try f.ctx.replaceDevice(f.device, pt: nested)
    return (f, fault, nested)
  }

  static func le32(_ b: [UInt8], _ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[at + $1]) << UInt32(8 * $1) } }
  static func response(cookie: UInt32, code: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: cookie >> UInt32(8 * $0)) } + (0..<4).map { UInt8(truncatingIfNeeded: code >> UInt32(8 * $0)) }
  }

  @Test func selftestSequenceReadAndAnswer() throws {
    let (f, fault, nested) = try Self.setUp()
    let pf = PageFault.selftest(pasid: 1, grpid: 2, perm: PageFault.permRead | PageFault.permWrite, addr: 0xdead_beaf)
    #expect(try f.ctx.reportPageFault(device: f.device, pf) == .queued(faultID: fault))
    expectErrno(.ebusy) { try f.ctx.destroy(nested) }
    let bytes = try f.ctx.read(fault: fault, count: 40)
    #expect(bytes.count == 40)
    #expect(Self.le32(bytes, 0) == PageFault.flagLastPage | PageFault.flagPASIDValid)
    #expect(Self.le32(bytes, 4) == f.device)
    #expect(Self.le32(bytes, 8) == 1 && Self.le32(bytes, 12) == 2 && Self.le32(bytes, 16) == 3)
    #expect(Self.le32(bytes, 20) == 0)
    #expect(Self.le32(bytes, 24) == 0xdead_beaf && Self.le32(bytes, 28) == 0)
    #expect(Self.le32(bytes, 32) == 0)  // length
    #expect(Self.le32(bytes, 36) == 1)  // the first cookie
    #expect(try f.ctx.write(fault: fault, bytes: Self.response(cookie: 1, code: 0)) == 8)
    let device = try #require(f.ctx.object(f.device) as? IOMMUFDDevice)
    #expect(device.pageResponses == [PageResponse(grpid: 2, pasid: 1, code: .success)])
    // Replace back to the IOAS, then the nested HWPT can go.
    try f.ctx.replaceDevice(f.device, pt: f.ioas)
    try f.ctx.destroy(nested)
    try f.ctx.closeFaultQueueFile(fault)
    try f.ctx.destroy(fault)
  }

  @Test func readChecks() throws {
    let (f, fault, _) = try Self.setUp()
    try f.ctx.reportPageFault(device: f.device, .selftest(pasid: 0, grpid: 5, perm: 1, addr: 0x1000))
    expectErrno(.ebadf) { try f.ctx.read(fault: 999, count: 40) }
    expectErrno(.ebadf) { try f.ctx.read(fault: f.viommu, count: 40) }
    expectErrno(.einval) { try f.ctx.read(fault: fault, count: -40) }
    for count in [1, 39, 41, 79] { expectErrno(.espipe) { try f.ctx.read(fault: fault, count: count) } }
    expectErrno(.espipe) { try f.ctx.read(fault: fault, count: 40, offset: 40) }
    #expect(try f.ctx.read(fault: fault, count: 0).isEmpty)
    let queue = try #require(f.ctx.object(fault) as? FaultQueue)
    #expect(queue.pendingGroupCount == 1 && queue.awaitingResponse.isEmpty)
    #expect(try f.ctx.read(fault: fault, count: 400).count == 40)
    #expect(try f.ctx.read(fault: fault, count: 400).isEmpty)
    #expect(queue.awaitingResponse == [1])
    try f.ctx.closeFaultQueueFile(fault)
    expectErrno(.ebadf) { try f.ctx.read(fault: fault, count: 40) }
    expectErrno(.ebadf) { try f.ctx.write(fault: fault, bytes: Self.response(cookie: 1, code: 0)) }
  }

  @Test func groupsAreDeliveredWholeWithPartialsInReverse() throws {
    let (f, fault, _) = try Self.setUp()
    #expect(try f.ctx.reportPageFault(device: f.device, PageFault(flags: 0, grpid: 7, perm: 1, addr: 0x1000)) == .partial)
    #expect(try f.ctx.reportPageFault(device: f.device, PageFault(flags: 0, grpid: 8, perm: 1, addr: 0x9000)) == .partial)
    #expect(try f.ctx.reportPageFault(device: f.device, PageFault(flags: 0, grpid: 7, perm: 1, addr: 0x2000)) == .partial)
    try f.ctx.reportPageFault(device: f.device, PageFault(flags: PageFault.flagLastPage, grpid: 7, perm: 1, addr: 0x3000))
    // Three faults need 120 bytes: 80 returns nothing and keeps the group.
    #expect(try f.ctx.read(fault: fault, count: 80).isEmpty)
    let bytes = try f.ctx.read(fault: fault, count: 120)
    #expect(bytes.count == 120)
    // iopf_group_alloc moves each partial to the head: 0x2000, 0x1000, then the last.
    #expect([0, 40, 80].map { Self.le32(bytes, $0 + 24) } == [0x2000, 0x1000, 0x3000])
    #expect([0, 40, 80].map { Self.le32(bytes, $0 + 36) } == [1, 1, 1])
    #expect([0, 40, 80].map { Self.le32(bytes, $0) } == [0, 0, PageFault.flagLastPage])
  }

  @Test func cookiesAreTheLowestFree() throws {
    let (f, fault, _) = try Self.setUp()
    for g in UInt32(1)...3 { try f.ctx.reportPageFault(device: f.device, .selftest(pasid: 0, grpid: g, perm: 1, addr: 0)) }
    let bytes = try f.ctx.read(fault: fault, count: 120)
    #expect([0, 40, 80].map { Self.le32(bytes, $0 + 36) } == [1, 2, 3])
    try f.ctx.write(fault: fault, bytes: Self.response(cookie: 2, code: 1))
    try f.ctx.reportPageFault(device: f.device, .selftest(pasid: 0, grpid: 9, perm: 1, addr: 0))
    #expect(Self.le32(try f.ctx.read(fault: fault, count: 40), 36) == 2)
  }

  @Test func writeChecks() throws {
    let (f, fault, _) = try Self.setUp()
    for g in UInt32(1)...2 { try f.ctx.reportPageFault(device: f.device, .selftest(pasid: 0, grpid: g, perm: 1, addr: 0)) }
    _ = try f.ctx.read(fault: fault, count: 80)
    let queue = try #require(f.ctx.object(fault) as? FaultQueue)
    expectErrno(.espipe) { try f.ctx.write(fault: fault, bytes: [1, 0, 0, 0, 0, 0, 0]) }
    expectErrno(.espipe) { try f.ctx.write(fault: fault, bytes: Self.response(cookie: 1, code: 0), offset: 8) }
    expectErrno(.einval) { try f.ctx.write(fault: fault, bytes: Self.response(cookie: 1, code: 2)) }
    expectErrno(.einval) { try f.ctx.write(fault: fault, bytes: Self.response(cookie: 5, code: 0)) }
    #expect(queue.awaitingResponse == [1, 2])
    #expect(try f.ctx.write(fault: fault, bytes: []) == 0)
    // A bad second response after a good first: the first is consumed, no error.
    #expect(try f.ctx.write(fault: fault, bytes: Self.response(cookie: 1, code: 1) + Self.response(cookie: 1, code: 0)) == 8)
    #expect(queue.awaitingResponse == [2])
    let device = try #require(f.ctx.object(f.device) as? IOMMUFDDevice)
    #expect(device.pageResponses == [PageResponse(grpid: 1, pasid: nil, code: .invalid)])
  }

  @Test func routingNeedsAFaultCapableHWPT() throws {
    let (f, fault, _) = try Self.setUp()
    let device = try #require(f.ctx.object(f.device) as? IOMMUFDDevice)
    // A second device, not attached: answered INVALID at once.
    let other = try f.ctx.bindDevice(streamIDs: [0x11])
    #expect(try f.ctx.reportPageFault(device: other, .selftest(pasid: 0, grpid: 1, perm: 1, addr: 0)) == .answered(.invalid))
    #expect((f.ctx.object(other) as? IOMMUFDDevice)?.pageResponses == [PageResponse(grpid: 1, pasid: nil, code: .invalid)])
    expectErrno(.enoent) { try f.ctx.reportPageFault(device: 999, .selftest(pasid: 0, grpid: 1, perm: 1, addr: 0)) }
    // A paging HWPT with a fault queue takes RID faults, but not PASID ones
    // (the RID fallback needs a nested domain).
    let ioasFault = try f.ctx.allocFaultQueue()
    let paging = try f.ctx.allocHWPT(device: f.device, pt: f.ioas, flags: .faultIDValid, faultID: ioasFault)
    try f.ctx.replaceDevice(f.device, pt: paging)
    #expect(try f.ctx.reportPageFault(device: f.device, .selftest(pasid: 0, grpid: 3, perm: 1, addr: 0)) == .queued(faultID: ioasFault))
    #expect(try f.ctx.reportPageFault(device: f.device, .selftest(pasid: 4, grpid: 4, perm: 1, addr: 0)) == .answered(.invalid))
    #expect(device.pageResponses.last == PageResponse(grpid: 4, pasid: 4, code: .invalid))
    // A HWPT without a fault queue: no iopf_handler.
    try f.ctx.replaceDevice(f.device, pt: f.hwpt)
    #expect(try f.ctx.reportPageFault(device: f.device, .selftest(pasid: 0, grpid: 5, perm: 1, addr: 0)) == .answered(.invalid))
    // Leaving the paging HWPT answered its pending group (grpid 3) INVALID.
    #expect(device.pageResponses.contains(PageResponse(grpid: 3, pasid: nil, code: .invalid)))
    #expect((f.ctx.object(fault) as? FaultQueue)?.pendingGroupCount == 0)
  }

  @Test func leavingTheHWPTAnswersPendingGroups() throws {
    let (f, fault, _) = try Self.setUp()
    for g in UInt32(1)...3 { try f.ctx.reportPageFault(device: f.device, .selftest(pasid: 0, grpid: g, perm: 1, addr: 0)) }
    _ = try f.ctx.read(fault: fault, count: 40)  // group 1 awaits an answer, 2 and 3 are unread
    try f.ctx.detachDevice(f.device)
    let device = try #require(f.ctx.object(f.device) as? IOMMUFDDevice)
    #expect(Set(device.pageResponses) == Set((1...3).map { PageResponse(grpid: $0, pasid: nil, code: .invalid) }))
    let queue = try #require(f.ctx.object(fault) as? FaultQueue)
    #expect(queue.pendingGroupCount == 0 && queue.awaitingResponse.isEmpty)
    // The answered cookie is gone: writing it now is EINVAL.
    expectErrno(.einval) { try f.ctx.write(fault: fault, bytes: Self.response(cookie: 1, code: 0)) }
    #expect(queue.users == 3)  // xarray, fd, nested HWPT
  }
}
