import CMDQVRegisters
import IOMMUFD
import Testing

struct InvalidateTests {
  @Test func dispatchesToTheDriverAndReportsEntryNum() throws {
    let f = try Fixture()
    let commands: [SMMUCommand] = [.tlbiNHASID(asid: 1), .atcInv(streamID: 0x10), .cfgiCD(streamID: 0x10)]
    #expect(try f.ctx.invalidate(viommu: f.viommu, commands: commands) == 3)
    #expect(f.mock.invalidated == commands)
    #expect(try f.ctx.invalidate(viommu: f.viommu, commands: []) == 0)
  }

  @Test func driverFailureCarriesHandledCount() throws {
    let f = try Fixture()
    let commands: [SMMUCommand] = [.tlbiNHASID(asid: 1), .tlbiNHAll(), .sync(), .tlbiNHASID(asid: 2)]
    #expect(throws: InvalidationError(errno: .einval, handledCount: 2)) {
      try f.ctx.invalidate(viommu: f.viommu, commands: commands)
    }
  }

  @Test func coreChecks() throws {
    let f = try Fixture()
    func expectFailure(_ id: UInt32, _ errno: Errno, sourceLocation: SourceLocation = #_sourceLocation) {
      do {
        try f.ctx.invalidate(viommu: id, commands: [.tlbiNHAll()])
        Issue.record("expected \(errno)", sourceLocation: sourceLocation)
      } catch {
        #expect(error.errno == errno, sourceLocation: sourceLocation)
        #expect(error.handledCount == 0, sourceLocation: sourceLocation)
      }
    }
    expectFailure(999, .enoent)
    expectFailure(f.ioas, .einval)
    let nested = try f.ctx.allocHWPT(device: f.device, pt: f.viommu, data: .selftest())
    // The mock domain's cache_invalidate_user refuses SMMUv3 entries by type.
    expectFailure(nested, .einval)
    f.mock.nestedDomainsLackUserInvalidation = true
    expectFailure(try f.ctx.allocHWPT(device: f.device, pt: f.viommu, data: .selftest()), .eopnotsupp)
    f.mock.supportsCacheInvalidate = false
    expectFailure(f.viommu, .eopnotsupp)
  }
}

/// `invalidate(hwpt:commands:entryNum:)`: the same checks, throwing `Errno`.
@Suite struct InvalidateErrnoTests {
  @Test func errnoFormWritesBackEntryNum() throws {
    let f = try Fixture()
    var entryNum = -1
    expectErrno(.enoent) { try f.ctx.invalidate(hwpt: 999, commands: [.tlbiNHAll()], entryNum: &entryNum) }
    #expect(entryNum == 0)
    expectErrno(.einval) { try f.ctx.invalidate(hwpt: f.hwpt, commands: [.tlbiNHAll()], entryNum: &entryNum) }
    f.mock.nestedDomainsLackUserInvalidation = true
    let nested = try f.ctx.allocHWPT(device: f.device, pt: f.viommu, data: .selftest())
    expectErrno(.eopnotsupp) { try f.ctx.invalidate(hwpt: nested, commands: [.tlbiNHAll()], entryNum: &entryNum) }
    // The mock stops at the first CMD_SYNC with EINVAL and reports its index.
    entryNum = -1
    expectErrno(.einval) {
      try f.ctx.invalidate(hwpt: f.viommu, commands: [.tlbiNHAll(), .tlbiNHAll(), .sync()], entryNum: &entryNum)
    }
    #expect(entryNum == 2)
    try f.ctx.invalidate(hwpt: f.viommu, commands: [.tlbiNHAll(), .tlbiNHAll()], entryNum: &entryNum)
    #expect(entryNum == 2)
  }
}
