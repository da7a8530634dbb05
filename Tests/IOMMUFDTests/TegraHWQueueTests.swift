import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// IOMMU_HW_QUEUE_ALLOC on a Tegra vIOMMU: the core's checks
/// (`iommufd_hw_queue_alloc_ioctl`, drivers/iommu/iommufd/viommu.c, v6.17),
/// then `tegra241_vintf_alloc_lvcmdq_user`.
@Suite struct TegraHWQueueTests {
  static let type = Tegra241IOMMUDriver.hwQueueTypeTegra241CMDQV

  /// A VM whose SMMU has IDR1.CMDQS = 8 (max queue 2^12 bytes), so "longer
  /// than 2^(CMDQS+4)" is reachable inside the mapped guest RAM.
  static func vm(cmdqs: Int = 19) throws -> (CMDQVSystem, GuestVM) {
    var configuration = CMDQVConfiguration.default
    configuration.smmuCMDQS = cmdqs
    let system = try CMDQVSystem(configuration: configuration)
    return (system, try GuestVM(system: system, physicalStreamID: 0x100))
  }

  func alloc(
    _ system: CMDQVSystem, _ vm: GuestVM, index: UInt32, iova: UInt64? = nil, length: UInt64 = 256,
    type: UInt32 = TegraHWQueueTests.type, flags: UInt32 = 0
  ) throws(Errno) -> UInt32 {
    try system.context.allocHWQueue(
      viommu: vm.viommu.id, type: type, index: index, nestingParentIOVA: iova ?? vm.layout.queueAddress(Int(index)),
      length: length, flags: flags)
  }

  /// A failed allocation leaves no object, no pinned page, no CMDQ_ALLOC bit.
  func expectNothingLeft(
    _ system: CMDQVSystem, objects: Int, allocated: [Int], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(system.context.liveObjectCount == objects, sourceLocation: sourceLocation)
    #expect(
      system.context.pinnedPages.count == system.context.objects(of: HWQueue.self).count,
      "pins: \(system.context.pinnedPages.map(\.iova))", sourceLocation: sourceLocation)
    #expect(allocatedVCMDQs(system) == allocated, sourceLocation: sourceLocation)
  }

  @Test func coreRowsBeforeTheDriver() throws {
    let (system, vm) = try Self.vm()
    let objects = system.context.liveObjectCount
    expectErrno(.eopnotsupp) { try alloc(system, vm, index: 0, flags: 1) }
    expectErrno(.eopnotsupp) { try alloc(system, vm, index: 0, type: 0) }
    expectErrno(.einval) { try alloc(system, vm, index: 0, length: 0) }
    expectErrno(.eoverflow) { try alloc(system, vm, index: 0, iova: 0xFFFF_FFFF_FFFF_F000, length: 0x2000) }
    expectErrno(.enoent) {
      try system.context.allocHWQueue(viommu: 999, type: 1, index: 0, nestingParentIOVA: 0, length: 256)
    }
    // get_hw_queue_size returns 0 for anything but TEGRA241_CMDQV (1).
    expectErrno(.eopnotsupp) { try alloc(system, vm, index: 0, type: 2) }
    // Not mapped in the nesting parent's IOAS: the pin fails first.
    expectErrno(.enoent) { try alloc(system, vm, index: 0, iova: 0x1000_0000) }
    // The pin (row 10) precedes every driver check: an unmapped IOVA with a
    // bad index is still ENOENT.
    expectErrno(.enoent) { try alloc(system, vm, index: 9, iova: 0x1000_0000) }
    expectNothingLeft(system, objects: objects, allocated: [0, 1])
  }

  @Test(arguments: [UInt32(2), 3, 127, 128, UInt32.max])
  func indexOutOfRangeIsEINVAL(index: UInt32) throws {
    let (system, vm) = try Self.vm()
    let objects = system.context.liveObjectCount
    expectErrno(.einval) { try alloc(system, vm, index: index, iova: vm.layout.queueAddress(0)) }
    expectNothingLeft(system, objects: objects, allocated: [0, 1])
  }

  @Test func existingIndexIsEEXISTAndIndexOneFirstIsEIO() throws {
    let (system, vm) = try Self.vm()
    let objects = system.context.liveObjectCount
    // Index 1 before 0.
    expectErrno(.eio) { try alloc(system, vm, index: 1) }
    expectNothingLeft(system, objects: objects, allocated: [0, 1])
    let q0 = try alloc(system, vm, index: 0)
    #expect(allocatedVCMDQs(system) == [0, 1, 2])
    // EEXIST is checked before the length (a bad length still gives EEXIST).
    expectErrno(.eexist) { try alloc(system, vm, index: 0, iova: vm.layout.queueAddress(1)) }
    expectErrno(.eexist) { try alloc(system, vm, index: 0, iova: vm.layout.queueAddress(1), length: 48) }
    // The queue and its internal access (iommufd_hw_queue_alloc_phys).
    expectNothingLeft(system, objects: objects + 2, allocated: [0, 1, 2])
    let q1 = try alloc(system, vm, index: 1)
    #expect(allocatedVCMDQs(system) == [0, 1, 2, 3])
    #expect(system.device.vcmdq(3).base & ~0x1F == vm.layout.ramPA + vm.layout.queueAddress(1) - vm.layout.ramIPA)
    _ = (q0, q1)
  }

  @Test(arguments: [UInt64(16), 48, 100, 0x3000, 0x2000, 0x1_0000])
  func badLengthIsEINVAL(length: UInt64) throws {
    // CMDQS = 8: the longest queue is 2^12 = 0x1000 bytes.
    let (system, vm) = try Self.vm(cmdqs: 8)
    let objects = system.context.liveObjectCount
    expectErrno(.einval) { try alloc(system, vm, index: 0, length: length) }
    expectNothingLeft(system, objects: objects, allocated: [0, 1])
  }

  @Test(arguments: [UInt64(32), 0x1000])
  func boundaryLengthsAreAccepted(length: UInt64) throws {
    let (system, vm) = try Self.vm(cmdqs: 8)
    _ = try alloc(system, vm, index: 0, length: length)
    #expect(system.device.vcmdq(2).log2Size == length.trailingZeroBitCount - 4)
  }

  @Test(arguments: [UInt64(0x20), 0x80, 0x1F0])
  func baseNotAlignedToLengthIsEINVAL(misalignment: UInt64) throws {
    let (system, vm) = try Self.vm()
    let objects = system.context.liveObjectCount
    expectErrno(.einval) { try alloc(system, vm, index: 0, iova: vm.layout.queueAddress(0) + misalignment, length: 0x200) }
    expectNothingLeft(system, objects: objects, allocated: [0, 1])
  }

  @Test func destroyingTheLowerQueueFirstIsEBUSYAndLeavesItMapped() throws {
    let (system, vm) = try Self.vm()
    try vm.addQueue()
    try vm.addQueue()
    let base2 = system.device.vcmdq(2).base
    let log = WriteLog(system.device)
    expectErrno(.ebusy) { try system.context.destroy(vm.hwQueues[0]) }
    #expect(log.writes.isEmpty)
    #expect(system.device.vcmdq(2).allocated)
    #expect(system.device.vcmdq(2).base == base2)
    #expect(allocatedVCMDQs(system) == [0, 1, 2, 3])
    try vm.destroyQueues()
    #expect(allocatedVCMDQs(system) == [0, 1])
    #expect(system.context.pinnedPages.isEmpty)
    system.expectNoViolations()
  }

  @Test func unmappingAPinnedQueuePageIsEBUSY() throws {
    let (system, vm) = try Self.vm()
    try vm.addQueue()
    // The RAM is one area; unmapping it while the queue page is pinned.
    expectErrno(.ebusy) { try system.context.ioasUnmap(ioas: vm.ioas, iova: vm.layout.ramIPA, length: vm.layout.ramSize) }
    #expect(system.device.vcmdq(2).allocated)
    try vm.destroyQueues()
    _ = try system.context.ioasUnmap(ioas: vm.ioas, iova: vm.layout.ramIPA, length: vm.layout.ramSize)
  }

  @Test func vIOMMUWithQueuesCannotBeDestroyed() throws {
    let (system, vm) = try Self.vm()
    try vm.addQueue()
    vm.mapping.munmap()
    expectErrno(.ebusy) { try system.context.destroy(vm.viommu.id) }
    try vm.destroyQueues()
    try system.context.destroy(vm.viommu.id)
    #expect(!system.device.vintf(1).enabled)
  }
}
