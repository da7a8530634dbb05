import IOMMUFD
import Testing

/// `FIXTURE(iommufd_viommu)` (tools/testing/selftests/iommu/iommufd.c,
/// v6.17) on the library's selftest mock driver: the setup with the IDs a
/// fresh fd produces, and a teardown that checks what `teardown_iommufd`
/// checks (everything is released when the fd closes; no page stays pinned).
final class SelftestFixture {
  /// `FIXTURE_VARIANT(iommufd_viommu)`.
  enum Variant: String, CaseIterable, CustomTestStringConvertible {
    case noVIOMMU = "no_viommu"
    case mockVIOMMU = "mock_viommu"
    var testDescription: String { rawValue }
  }

  let driver = SelftestIOMMUDriver()
  let ctx: IOMMUFDContext
  let ioas: UInt32
  var stdev: UInt32 = 0
  var hwpt: UInt32 = 0
  var nestedHWPT: UInt32 = 0
  var device: UInt32 = 0
  var viommu: UInt32 = 0

  /// Where the tests' `buffer` pages live (host PA of `IOMMU_IOAS_MAP`'s
  /// user memory); the kernel test lets the IOAS pick the IOVA, the port maps
  /// at `MOCK_APERTURE_START`.
  static let bufferPA: UInt64 = 0x9000_0000
  static let pageSize = IOAS.pageSize

  /// `FIXTURE_SETUP(iommufd_viommu)`.
  init(_ variant: Variant, sourceLocation: SourceLocation = #_sourceLocation) throws {
    ctx = IOMMUFDContext(drivers: [driver])
    ioas = try ctx.allocIOAS()
    #expect(ioas == 1, sourceLocation: sourceLocation)
    try ctx.testSetTempMemoryLimit(IOMMUTest.defaultMemoryLimit)
    guard variant == .mockVIOMMU else { return }
    let md = try ctx.testMockDomain(pt: ioas)
    stdev = md.stdevID
    device = md.idevID
    #expect(md == SelftestMockDomain(stdevID: 2, hwptID: 4, idevID: 3), sourceLocation: sourceLocation)
    // A nesting parent hwpt.
    hwpt = try ctx.allocHWPT(device: device, pt: ioas, flags: .nestParent)
    // A vIOMMU taking a reference on the parent.
    viommu = try ctx.allocVIOMMU(device: device, hwpt: hwpt, type: IOMMUTest.viommuType).id
    // A regular nested hwpt.
    nestedHWPT = try ctx.allocHWPT(device: device, pt: viommu, data: .selftest(iotlb: IOMMUTest.iotlbDefault))
    #expect([hwpt, viommu, nestedHWPT] == [5, 6, 7], sourceLocation: sourceLocation)
  }

  /// `FIXTURE_TEARDOWN` → `teardown_iommufd`: close the fd, then nothing
  /// is left (objects, tombstones, mmaps, pins, mock devices).
  func teardown(sourceLocation: SourceLocation = #_sourceLocation) {
    let report = ctx.close()
    #expect(report.isClean, "\(report)", sourceLocation: sourceLocation)
    #expect(ctx.liveObjectCount == 0, "left: \(ctx.objectKinds)", sourceLocation: sourceLocation)
    #expect(ctx.tombstonedIDs.isEmpty, sourceLocation: sourceLocation)
    #expect(ctx.mmapRegistry.isEmpty, sourceLocation: sourceLocation)
    #expect(ctx.pinnedPages.isEmpty, sourceLocation: sourceLocation)
    #expect(driver.mockDevices.isEmpty, sourceLocation: sourceLocation)
    #expect(ctx.warnings.isEmpty, "\(ctx.warnings)", sourceLocation: sourceLocation)
  }

  /// `test_ioctl_ioas_map(buffer + n * PAGE_SIZE, PAGE_SIZE, &iova)`.
  func mapBufferPage(_ n: UInt64, at iova: UInt64) throws {
    try ctx.ioasMap(ioas: ioas, iova: iova, length: Self.pageSize, physicalAddress: Self.bufferPA + n * Self.pageSize)
  }
}

/// `struct iommu_viommu_event_selftest` payloads in `events`, or a record of
/// what else was read.
func selftestVirtIDs(_ events: [VEvent]) -> [UInt32?] {
  events.map { event in
    guard case .event(let data) = event.kind, data.count == 4 else { return nil }
    return data.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(8 * $1.offset) }
  }
}
