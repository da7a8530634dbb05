import CCMDQV
import CMDQVRegisters
import IOMMUFD
import IOMMUFDUAPI
import Testing

/// `read()` on vEVENTQ and fault descriptors (`iommufd_veventq_fops_read`,
/// `iommufd_fault_fops_read`/`_write`, drivers/iommu/iommufd/eventq.c, v6.17).
struct EventFileTests {
  /// A vIOMMU with a TEGRA241_CMDQV vEVENTQ of `depth`; returns its fd.
  func queue(_ f: UAPIFixture, depth: UInt32) throws -> (vm: UAPIFixture.VM, fd: Int32, id: UInt32) {
    let vm = try f.vm()
    var cmd = iommu_veventq_alloc()
    cmd.viommu_id = vm.viommu
    cmd.type = UInt32(IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV.rawValue)
    cmd.veventq_depth = depth
    f.ok(IOMMU_VEVENTQ_ALLOC, &cmd)
    return (vm, Int32(bitPattern: cmd.out_veventq_fd), cmd.out_veventq_id)
  }

  func report(_ f: UAPIFixture, _ vm: UAPIFixture.VM, _ value: UInt8) throws {
    let viommu = f.system.context.object(vm.viommu) as! VIOMMU
    try f.system.context.reportEvent(viommu: viommu, type: 2, data: [UInt8](repeating: value, count: 16))
  }

  /// Depth 2, three reports: two records and the LOST_EVENTS header with the
  /// third sequence number, 56 bytes; whole records only.
  @Test func readsWholeRecordsAndTheLostHeader() throws {
    let f = try UAPIFixture()
    let (vm, fd, _) = try queue(f, depth: 2)
    for v in [0xA1, 0xA2, 0xA3] as [UInt8] { try report(f, vm, v) }
    f.file.refreshReadiness()  // what the C library does after every step
    #expect(f.descriptors.readable.contains(fd), "POLLIN while records wait")
    var buffer = [UInt8](repeating: 0, count: 128)
    let n0 = buffer.withUnsafeMutableBytes { f.file.read(descriptor: fd, into: $0.baseAddress, count: 23) }
    #expect(n0 == 0, "a buffer smaller than the first record reads 0")
    let n1 = buffer.withUnsafeMutableBytes { f.file.read(descriptor: fd, into: $0.baseAddress, count: 30) }
    #expect(n1 == 24)
    #expect(buffer[0..<8] == [0, 0, 0, 0, 0, 0, 0, 0], "flags 0, sequence 0")
    #expect(buffer[8..<24].allSatisfy { $0 == 0xA1 })
    let n2 = buffer.withUnsafeMutableBytes { f.file.read(descriptor: fd, into: $0.baseAddress, count: 128) }
    #expect(n2 == 32)
    #expect(buffer[0..<8] == [0, 0, 0, 0, 1, 0, 0, 0])
    #expect(buffer[8..<24].allSatisfy { $0 == 0xA2 })
    #expect(buffer[24..<32] == [1, 0, 0, 0, 2, 0, 0, 0], "IOMMU_VEVENTQ_FLAG_LOST_EVENTS, sequence 2")
    #expect(!f.descriptors.readable.contains(fd))
    let n3 = buffer.withUnsafeMutableBytes { f.file.read(descriptor: fd, into: $0.baseAddress, count: 128) }
    #expect(n3 == 0, "an empty queue reads 0 (never blocks)")
    try report(f, vm, 0xA4)
    let n4 = buffer.withUnsafeMutableBytes { f.file.read(descriptor: fd, into: $0.baseAddress, count: 128) }
    #expect(n4 == 24)
    #expect(buffer[4] == 3, "the next report takes sequence 3")
  }

  @Test func nullBufferIsEFAULTAndUnknownDescriptorEBADF() throws {
    let f = try UAPIFixture()
    let (vm, fd, _) = try queue(f, depth: 2)
    try report(f, vm, 1)
    #expect(f.file.read(descriptor: fd, into: nil, count: 64) == -Int(Errno.efault.code))
    #expect(f.file.read(descriptor: 4242, into: nil, count: 64) == -Int(Errno.ebadf.code))
  }

  /// Closing the fd drops its reference: then IOMMU_DESTROY works.
  @Test func closeReleasesTheQueue() throws {
    let f = try UAPIFixture()
    let (_, fd, id) = try queue(f, depth: 2)
    var destroy = iommu_destroy(size: 0, id: id)
    #expect(f.call(IOMMU_DESTROY, &destroy) == Errno.ebusy.code)
    #expect(f.file.close(descriptor: fd) == 0)
    #expect(!f.descriptors.open.contains(fd))
    #expect(f.call(IOMMU_DESTROY, &destroy) == 0)
    #expect(f.file.close(descriptor: fd) == Errno.ebadf.code)
  }

  /// Fault fds: reads are in 40-byte units (ESPIPE otherwise), responses in
  /// 8-byte units; with no fault pending every cookie is EINVAL.
  @Test func faultDescriptorRules() throws {
    let f = try UAPIFixture()
    var cmd = iommu_fault_alloc()
    f.ok(IOMMU_FAULT_QUEUE_ALLOC, &cmd)
    let fd = Int32(bitPattern: cmd.out_fault_fd)
    var buffer = [UInt8](repeating: 0, count: 80)
    let espipe = -29
    #expect(buffer.withUnsafeMutableBytes { f.file.read(descriptor: fd, into: $0.baseAddress, count: 39) } == espipe)
    #expect(buffer.withUnsafeMutableBytes { f.file.read(descriptor: fd, into: $0.baseAddress, count: 80) } == 0)
    var response = iommu_hwpt_page_response(cookie: 1, code: 0)
    #expect(withUnsafeBytes(of: &response) { f.file.write(descriptor: fd, from: $0.baseAddress, count: 7) } == espipe)
    #expect(
      withUnsafeBytes(of: &response) { f.file.write(descriptor: fd, from: $0.baseAddress, count: 8) }
        == -Int(Errno.einval.code))
    response.code = 2
    #expect(
      withUnsafeBytes(of: &response) { f.file.write(descriptor: fd, from: $0.baseAddress, count: 8) }
        == -Int(Errno.einval.code))
    var destroy = iommu_destroy(size: 0, id: cmd.out_fault_id)
    #expect(f.call(IOMMU_DESTROY, &destroy) == Errno.ebusy.code, "the open fd holds the fault queue")
    f.file.close(descriptor: fd)
    #expect(f.call(IOMMU_DESTROY, &destroy) == 0)
  }

  /// Closing the iommufd closes its event files and releases every object
  /// and every pinned user page.
  @Test func closingTheFileReleasesEverything() throws {
    let f = try UAPIFixture()
    let (_, fd, _) = try queue(f, depth: 2)
    #expect(f.system.userMemory.pinnedPageCount == UAPIFixture.ramSize / 4096)
    try f.system.context.detachDevice(2)
    let report = f.file.close()
    #expect(report.leftovers.isEmpty, "\(report)")
    #expect(f.system.context.liveObjectCount == 0)
    #expect(!f.descriptors.open.contains(fd))
    #expect(f.system.userMemory.pinnedPageCount == 0)
    #expect(f.system.device.memory.externalPageCount == 0)
  }
}
