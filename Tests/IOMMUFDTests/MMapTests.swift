import CMDQVRegisters
import IOMMUFD
import Testing

/// A recording bus for the window tests.
final class RecordingBus: MMIOBus {
  var log: [(String, Int, Initiator)] = []
  var value: UInt64 = 0xAB
  func read32(at offset: Int, from initiator: Initiator) -> UInt32 {
    log.append(("r32", offset, initiator))
    return UInt32(truncatingIfNeeded: value)
  }
  func write32(_ value: UInt32, at offset: Int, from initiator: Initiator) { log.append(("w32", offset, initiator)) }
  func read64(at offset: Int, from initiator: Initiator) -> UInt64 {
    log.append(("r64", offset, initiator))
    return value
  }
  func write64(_ value: UInt64, at offset: Int, from initiator: Initiator) { log.append(("w64", offset, initiator)) }
}

/// `_iommufd_alloc_mmap` (driver.c) and `iommufd_fops_mmap` (main.c), v6.17.
struct MMapTests {
  @Test func allocMMapChecks() throws {
    let f = try Fixture()
    let v = f.viommuObject
    expectErrno(.einval) { try f.ctx.allocMMap(viommu: v, physicalAddress: 0x1001, length: 0x1000) }
    expectErrno(.einval) { try f.ctx.allocMMap(viommu: v, physicalAddress: 0x1000, length: 0) }
    expectErrno(.einval) { try f.ctx.allocMMap(viommu: v, physicalAddress: 0x1000, length: 0x800) }
    // The mock registered [0x1000, 0x3000); next goes right after, never 0.
    #expect(f.mock.mmapOffset == 0x1000)
    let second = try f.ctx.allocMMap(viommu: v, physicalAddress: 0x5000_0000, length: 0x1000)
    #expect(second == 0x3000)
    f.ctx.destroyMMap(viommu: v, offset: second)
    f.ctx.destroyMMap(viommu: v, offset: second)
    #expect(f.ctx.warnings.count == 1)
    #expect(f.ctx.mmapRegistry.count == 1)
  }

  @Test func mmapChecksInOrder() throws {
    let f = try Fixture()
    let offset = f.mock.mmapOffset
    let length = 2 * IOAS.pageSize
    expectErrno(.einval) { try f.ctx.mmap(offset: offset, length: 0x1800, shared: false, prot: .exec) }
    expectErrno(.einval) { try f.ctx.mmap(offset: offset, length: length, shared: false, prot: .exec) }
    expectErrno(.eperm) { try f.ctx.mmap(offset: 0x9999_0000, length: length, prot: [.read, .exec]) }
    expectErrno(.enxio) { try f.ctx.mmap(offset: 0x9999_0000, length: length) }
    expectErrno(.enxio) { try f.ctx.mmap(offset: 0, length: 0x1000) }
    expectErrno(.enxio) { try f.ctx.mmap(offset: offset, length: 0x1000) }
    expectErrno(.enxio) { try f.ctx.mmap(offset: offset + 0x1000, length: 0x1000) }
    expectErrno(.enxio) { try f.ctx.mmap(offset: offset, length: length + 0x1000) }
    let mapping = try f.ctx.mmap(offset: offset, length: length)
    #expect(mapping.physicalAddress == f.iommu.mmioBase)
    #expect(mapping.length == 0x2000)
  }

  @Test func mappingHoldsTheOwnerUntilMunmap() throws {
    let f = try Fixture()
    let m1 = try f.ctx.mmap(offset: f.mmapRegion.offset, length: f.mmapRegion.length)
    let m2 = try f.ctx.mmap(offset: f.mmapRegion.offset, length: f.mmapRegion.length, prot: .read)
    #expect(f.ctx.users(of: f.viommu) == 3)
    expectErrno(.ebusy) { try f.ctx.destroy(f.viommu) }
    m1.munmap()
    m1.munmap()
    #expect(f.ctx.users(of: f.viommu) == 2)
    m2.munmap()
    try f.ctx.destroy(f.viommu)
    #expect(f.ctx.mmapRegistry.isEmpty)
    expectErrno(.enxio) { try f.ctx.mmap(offset: f.mmapRegion.offset, length: f.mmapRegion.length) }
  }

  @Test func windowForwardsAsGuestAndNeverCrashes() throws {
    let f = try Fixture()
    let mapping = try f.ctx.mmap(offset: f.mmapRegion.offset, length: f.mmapRegion.length)
    let bus = RecordingBus()
    let window = mapping.window(over: bus, busBase: f.iommu.mmioBase - 0x30000, vintf: 1)
    #expect(window.read32(at: 0x10) == 0xAB)
    window.write64(1, at: 0x1FF8)
    #expect(bus.log.map(\.1) == [0x30010, 0x31FF8])
    #expect(bus.log.allSatisfy { $0.2 == .guest(vintf: 1) })
    // Out of range: negative, past the end, straddling the end.
    #expect(window.read32(at: -4) == 0)
    #expect(window.read64(at: 0x1FFC) == 0)
    window.write32(1, at: 0x2000)
    window.write32(1, at: Int.max)
    #expect(window.read64(at: Int.min) == 0)
    #expect(window.rejectedAccesses == 5)
    #expect(bus.log.count == 2)
    mapping.munmap()
    #expect(window.read32(at: 0) == 0)
    #expect(window.isRevoked)
    #expect(bus.log.count == 2)
    // A bus that does not contain the region: every access is dropped.
    let below = try f.ctx.mmap(offset: f.mmapRegion.offset, length: f.mmapRegion.length)
    let unreachable = below.window(over: bus, busBase: UInt64.max, vintf: 1)
    #expect(unreachable.read32(at: 0) == 0)
    #expect(bus.log.count == 2)
  }
}
