import CMDQVRegisters
import IOMMUFD
import Testing

/// A context with one mock IOMMU, a bound device, an IOAS with queue memory
/// mapped, a nest-parent HWPT and (optionally) a vIOMMU.
final class Fixture {
  let iommu: MockIOMMU
  let ctx: IOMMUFDContext
  let device: UInt32
  let ioas: UInt32
  let hwpt: UInt32
  var viommu: UInt32 = 0
  var allocation: VIOMMUAllocation?

  /// Guest PA 0x10000 (4 pages) → host PA 0x8000_0000, contiguous.
  static let queueIOVA: UInt64 = 0x1_0000
  static let queuePA: UInt64 = 0x8000_0000

  init(withVIOMMU: Bool = true, configure: ((MockIOMMU) -> Void)? = nil) throws {
    iommu = MockIOMMU()
    configure?(iommu)
    ctx = IOMMUFDContext(drivers: [iommu])
    iommu.context = ctx
    device = try ctx.bindDevice(streamIDs: [0x10])
    ioas = try ctx.allocIOAS()
    try ctx.ioasMap(ioas: ioas, iova: Self.queueIOVA, length: 4 * IOAS.pageSize, physicalAddress: Self.queuePA)
    hwpt = try ctx.allocHWPT(device: device, ioas: ioas, nestParent: true)
    if withVIOMMU {
      let allocation = try ctx.allocVIOMMU(device: device, hwpt: hwpt, type: IOMMUTest.viommuType)
      self.allocation = allocation
      viommu = allocation.id
    }
  }

  var mock: MockVIOMMU { iommu.viommus.last! }
  /// The mock vIOMMU's mmap region (offset, length): two pages.
  var mmapRegion: (offset: UInt64, length: UInt64) { (mock.mmapOffset, 2 * IOAS.pageSize) }
  var viommuObject: VIOMMU { ctx.object(viommu) as! VIOMMU }

  func allocQueue(index: UInt32, iova: UInt64 = Fixture.queueIOVA, length: UInt64 = 256) throws(Errno) -> UInt32 {
    try ctx.allocHWQueue(
      viommu: viommu, type: IOMMUTest.hwQueueType, index: index, nestingParentIOVA: iova, length: length)
  }
}

/// Expects `body` to throw exactly `errno` (by code) and returns the thrown
/// value so its message can be checked.
@discardableResult
func expectErrno<T>(
  _ errno: Errno, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T
) -> Errno? {
  do {
    _ = try body()
    Issue.record("expected \(errno.name), got success", sourceLocation: sourceLocation)
    return nil
  } catch let error as Errno {
    #expect(error == errno, "expected \(errno.name), got \(error)", sourceLocation: sourceLocation)
    #expect(!error.message.isEmpty, "errno without a message", sourceLocation: sourceLocation)
    return error
  } catch {
    Issue.record("expected \(errno.name), got \(error)", sourceLocation: sourceLocation)
    return nil
  }
}
