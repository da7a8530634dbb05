import IOMMUFD
import Testing

struct ObjectLifecycleTests {
  @Test func idsStartAtOneAndReuseTheLowestFree() throws {
    let ctx = IOMMUFDContext(drivers: [MockIOMMU()])
    let a = try ctx.allocIOAS(), b = try ctx.allocIOAS(), c = try ctx.allocIOAS()
    #expect([a, b, c] == [1, 2, 3])
    try ctx.destroy(b)
    #expect(try ctx.allocIOAS() == 2)
    try ctx.destroy(a)
    try ctx.destroy(c)
    #expect(try ctx.allocIOAS() == 1)
    #expect(try ctx.allocIOAS() == 3)
  }

  @Test func destroyUnknownIsENOENT() throws {
    let ctx = IOMMUFDContext(drivers: [MockIOMMU()])
    expectErrno(.enoent) { try ctx.destroy(0) }
    expectErrno(.enoent) { try ctx.destroy(42) }
    let id = try ctx.allocIOAS()
    try ctx.destroy(id)
    expectErrno(.enoent) { try ctx.destroy(id) }
  }

  @Test func reservedIDIsInvisibleDuringAllocation() throws {
    var seen: (reserved: [UInt32], destroy: Errno?, lookup: Bool)?
    let f = try Fixture(withVIOMMU: false)
    f.iommu.onViommuInit = { viommu in
      let ctx = viommu.context!
      var err: Errno?
      do { try ctx.destroy(viommu.id) } catch let e as Errno { err = e } catch {}
      seen = (ctx.reservedIDs, err, ctx.object(viommu.id) != nil)
    }
    let allocation = try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType)
    #expect(seen?.reserved == [allocation.id])
    #expect(seen?.destroy == .enoent)
    #expect(seen?.lookup == false)
    #expect(f.ctx.reservedIDs.isEmpty)
    #expect(f.ctx.objectKinds[allocation.id] == .viommu)
  }

  @Test func abortFreesTheReservedID() throws {
    let f = try Fixture(withVIOMMU: false) { $0.viommuInitError = Errno.enospc("mock: no free slot") }
    let before = f.ctx.objectKinds
    expectErrno(.enospc) { try f.ctx.allocVIOMMU(device: f.device, hwpt: f.hwpt, type: IOMMUTest.viommuType) }
    #expect(f.ctx.objectKinds == before)
    #expect(f.ctx.reservedIDs.isEmpty)
    #expect(f.ctx.users(of: f.hwpt) == 1)
    #expect(f.ctx.mmapRegistry.isEmpty)
    // The next object takes the freed ID.
    #expect(try f.ctx.allocIOAS() == 4)
  }

  @Test func busyObjectStaysIntact() throws {
    let f = try Fixture()
    expectErrno(.ebusy) { try f.ctx.destroy(f.hwpt) }
    expectErrno(.ebusy) { try f.ctx.destroy(f.ioas) }
    #expect(f.ctx.objectKinds[f.hwpt] == .hwptPaging)
    #expect(f.ctx.users(of: f.hwpt) == 2)
    try f.ctx.destroy(f.viommu)
    try f.ctx.destroy(f.hwpt)
    try f.ctx.destroy(f.ioas)
    #expect(f.ctx.objectKinds == [f.device: .device])
  }

  @Test func destroyingADeviceTombstonesItsVDevice() throws {
    let f = try Fixture()
    f.mock.supportsVDeviceInit = true
    let vdev = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x99)
    #expect(f.ctx.users(of: f.viommu) == 2)
    try f.ctx.destroy(f.device)
    #expect(f.mock.destroyedVDevices == [0x99])
    #expect(f.ctx.tombstonedIDs == [vdev])
    #expect(f.ctx.users(of: f.viommu) == 1)
    expectErrno(.enoent) { try f.ctx.destroy(vdev) }
    // A tombstone keeps its ID reserved: new objects skip it.
    let next = try f.ctx.allocIOAS()
    #expect(next != vdev)
    let report = f.ctx.close()
    #expect(report.releasedTombstones == [vdev])
    #expect(report.isClean)
    #expect(f.ctx.tombstonedIDs.isEmpty)
  }

  @Test func closeDestroysLeavesFirst() throws {
    let f = try Fixture()
    let q0 = try f.allocQueue(index: 0)
    let q1 = try f.allocQueue(index: 1, iova: Fixture.queueIOVA + 0x1000)
    let veq = try f.ctx.allocVEventQueue(viommu: f.viommu, type: IOMMUTest.veventqType, depth: 4)
    let report = f.ctx.close()
    #expect(report.isClean)
    #expect(f.ctx.liveObjectCount == 0)
    #expect(f.ctx.pinnedPages.isEmpty)
    let order = report.destroyed.map(\.id)
    func pos(_ id: UInt32) -> Int { order.firstIndex(of: id)! }
    #expect(pos(q1) < pos(q0))
    #expect(pos(q0) < pos(f.viommu))
    #expect(pos(veq) < pos(f.viommu))
    #expect(pos(f.viommu) < pos(f.hwpt))
    #expect(pos(f.hwpt) < pos(f.ioas))
    #expect(f.iommu.vmids.inUse.isEmpty)
  }

  @Test func closeReportsNoProgress() throws {
    let f = try Fixture()
    // An external access (VFIO-style) holds users == 2 until the driver
    // destroys it, so close cannot finish: reported, not crashed.
    let access = try f.ctx.createAccess(ioas: f.ioas) { _, _, _ in }
    let report = f.ctx.close()
    #expect(!report.isClean)
    #expect(report.leftovers.map(\.id).contains(access.id))
    #expect(report.leftovers.map(\.id).contains(f.ioas))
    #expect(f.ctx.warnings.last?.contains("no progress") == true)
    try f.ctx.destroyAccess(access)
    #expect(f.ctx.close().isClean)
    #expect(f.ctx.liveObjectCount == 0)
  }

  @Test func closeUnmapsLiveMappingsFirst() throws {
    let f = try Fixture()
    let mapping = try f.ctx.mmap(offset: f.mmapRegion.offset, length: f.mmapRegion.length)
    let report = f.ctx.close()
    #expect(report.unmappedMappings == 1)
    #expect(!mapping.isMapped)
    #expect(report.isClean)
  }

  @Test func failedAllocationInjection() throws {
    let ctx = IOMMUFDContext(drivers: [MockIOMMU()])
    ctx.failNextObjectAllocation = true
    expectErrno(.enomem) { try ctx.allocIOAS() }
    #expect(try ctx.allocIOAS() == 1)
  }

  @Test func objectsAnIoctlHoldsCannotBeDestroyedFromItsCallbacks() throws {
    let f = try Fixture()
    var seen: (users: Int, wait: Int, destroy: Errno?)?
    let ctx = f.ctx, viommu = f.viommu
    f.mock.onHWQueueInit = { queue in
      var err: Errno?
      do { try ctx.destroy(viommu) } catch let e as Errno { err = e } catch {}
      seen = (queue.viommu.users, queue.viommu.waitCount, err)
    }
    _ = try f.allocQueue(index: 0)
    // Table + iommufd_lock_obj for the ioctl + the queue's own reference.
    #expect(seen?.users == 3)
    #expect(seen?.wait == 1)
    #expect(seen?.destroy == .ebusy)
    #expect(f.viommuObject.waitCount == 0)
    #expect(f.ctx.users(of: f.viommu) == 2)
  }

  @Test func closeWithVDevicesTombstonesAndReleasesThem() throws {
    let f = try Fixture()
    f.mock.supportsVDeviceInit = true
    let vdev = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 5)
    let report = f.ctx.close()
    #expect(report.isClean)
    #expect(f.mock.destroyedVDevices == [5])
    // The device (ID 1) goes first and tombstones the vDEVICE.
    #expect(report.destroyed.first?.id == f.device)
    #expect(!report.destroyed.map(\.id).contains(vdev))
    #expect(report.releasedTombstones == [vdev])
  }
}
