import IOMMUFD
import Testing

/// Seed 003: "The unmap callback may not call or wait for a
/// iommufd_access_destroy() to complete" / "a driver must not create locking
/// that prevents unmap to complete while iommufd_access_destroy() is running".
struct LockOrderTests {
  let ctx = IOMMUFDContext(drivers: [MockIOMMU()])

  func mappedIOAS() throws -> UInt32 {
    let ioas = try ctx.allocIOAS()
    try ctx.ioasMap(ioas: ioas, iova: 0x10000, length: 0x1000, physicalAddress: 0x200000)
    return ioas
  }

  @Test func destroyingAnAccessInsideItsOwnUnmapCallbackIsDiagnosed() throws {
    let ioas = try mappedIOAS()
    var caught: LockOrderViolation?
    let access = try ctx.createAccess(ioas: ioas) { access, iova, length in
      let ctx = access.context!
      ctx.accessUnpinPages(access, iova: 0x10000, length: 0x1000)
      do { try ctx.destroyAccess(access) } catch let e as LockOrderViolation { caught = e } catch {}
    }
    _ = try ctx.accessPinPages(access, iova: 0x10000, length: 0x1000)
    try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0x1000)
    let violation = try #require(caught)
    #expect(violation == .accessDestroyedInsideUnmapCallback(access: access.id, callbackAccess: access.id))
    #expect(
      violation.description.hasPrefix(
        "access \(access.id) destroyed from inside its unmap callback "
          + "(iommufd_access_notify_unmap → driver unmap → iommufd_access_destroy)"))
    #expect(ctx.lockDiagnostics == [violation])
    // The access was not destroyed: still live and destroyable afterwards.
    #expect(ctx.objectKinds[access.id] == .access)
    try ctx.destroyAccess(access)
    #expect(ctx.objectKinds[access.id] == nil)
  }

  @Test func lockTakenInCallbackHeldByDestroyPath() throws {
    // Driver A closes its access while holding 'vfio.lock'; later driver B's
    // unmap callback on the same IOAS takes 'vfio.lock'.
    let ioas = try mappedIOAS()
    let lock = DriverLock("vfio.lock")
    let first = try ctx.createAccess(ioas: ioas) { _, _, _ in }
    try ctx.acquire(lock)
    try ctx.destroyAccess(first)
    ctx.release(lock)

    var caught: LockOrderViolation?
    let second = try ctx.createAccess(ioas: ioas) { access, _, _ in
      let ctx = access.context!
      do {
        try ctx.acquire(lock)
        ctx.release(lock)
      } catch let e as LockOrderViolation { caught = e } catch {}
      ctx.accessUnpinPages(access, iova: 0x10000, length: 0x1000)
    }
    _ = try ctx.accessPinPages(second, iova: 0x10000, length: 0x1000)
    try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0x1000)
    let violation = try #require(caught)
    #expect(
      violation
        == .lockTakenInUnmapCallbackHeldByDestroyPath(
          lock: "vfio.lock", callbackAccess: second.id, destroyedAccess: first.id, ioas: ioas))
    #expect(violation.description.contains("lock 'vfio.lock' taken in unmap callback"))
    #expect(violation.description.contains("is held by the destroy path of access \(first.id)"))
    #expect(ctx.currentlyHeldLocks.isEmpty)
    try ctx.destroyAccess(second)
  }

  @Test func destroyPathHoldingALockTheCallbackTookIsDiagnosed() throws {
    // Seed 003's exact pattern: unmap() { lock(L); unpin; unlock(L) } and
    // driver_close() { lock(L); iommufd_access_destroy(); unlock(L) }.
    let ioas = try mappedIOAS()
    let lock = DriverLock("mdev.lock")
    let access = try ctx.createAccess(ioas: ioas) { access, _, _ in
      let ctx = access.context!
      try? ctx.acquire(lock)
      ctx.accessUnpinPages(access, iova: 0x10000, length: 0x1000)
      ctx.release(lock)
    }
    _ = try ctx.accessPinPages(access, iova: 0x10000, length: 0x1000)
    try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0x1000)
    #expect(ctx.lockDiagnostics.isEmpty)

    try ctx.acquire(lock)
    #expect(throws: LockOrderViolation.self) { try ctx.destroyAccess(access) }
    ctx.release(lock)
    let violation = try #require(ctx.lockDiagnostics.first)
    #expect(
      violation
        == .destroyPathHoldsLockTakenInUnmapCallback(
          lock: "mdev.lock", destroyedAccess: access.id, callbackAccess: access.id, ioas: ioas))
    #expect(violation.description.contains("lock 'mdev.lock' held by the destroy path of access \(access.id)"))
    // Destroying without the lock is fine.
    try ctx.destroyAccess(access)
    #expect(ctx.objectKinds[access.id] == nil)
  }

  @Test func destroyingAnotherAccessOnTheSameIOASInsideACallbackIsDiagnosed() throws {
    let ioas = try mappedIOAS()
    let other = try ctx.createAccess(ioas: ioas) { _, _, _ in }
    var caught: LockOrderViolation?
    let access = try ctx.createAccess(ioas: ioas) { access, _, _ in
      let ctx = access.context!
      ctx.accessUnpinPages(access, iova: 0x10000, length: 0x1000)
      do { try ctx.destroyAccess(other) } catch let e as LockOrderViolation { caught = e } catch {}
    }
    _ = try ctx.accessPinPages(access, iova: 0x10000, length: 0x1000)
    try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0x1000)
    #expect(caught == .accessDestroyedInsideUnmapCallback(access: other.id, callbackAccess: access.id))
    try ctx.destroyAccess(other)
    try ctx.destroyAccess(access)
  }

  @Test func unrelatedLocksAreFine() throws {
    let ioas = try mappedIOAS()
    let a = DriverLock("a"), b = DriverLock("b")
    let access = try ctx.createAccess(ioas: ioas) { access, _, _ in
      let ctx = access.context!
      try? ctx.acquire(b)
      ctx.accessUnpinPages(access, iova: 0x10000, length: 0x1000)
      ctx.release(b)
    }
    _ = try ctx.accessPinPages(access, iova: 0x10000, length: 0x1000)
    try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0x1000)
    try ctx.acquire(a)
    try ctx.destroyAccess(access)
    ctx.release(a)
    #expect(ctx.lockDiagnostics.isEmpty)
    ctx.release(a)
    #expect(ctx.warnings.last?.contains("not held") == true)
  }

  @Test func retakingAHeldLockInTheCallbackIsDiagnosed() throws {
    let ioas = try mappedIOAS()
    let lock = DriverLock("drv.lock")
    var caught: LockOrderViolation?
    let access = try ctx.createAccess(ioas: ioas) { access, _, _ in
      let ctx = access.context!
      do { try ctx.acquire(lock) } catch let e as LockOrderViolation { caught = e } catch {}
      ctx.accessUnpinPages(access, iova: 0x10000, length: 0x1000)
    }
    _ = try ctx.accessPinPages(access, iova: 0x10000, length: 0x1000)
    try ctx.acquire(lock)
    try ctx.ioasUnmap(ioas: ioas, iova: 0x10000, length: 0x1000)
    ctx.release(lock)
    #expect(caught == .lockAlreadyHeld(lock: "drv.lock"))
    #expect(ctx.currentlyHeldLocks.isEmpty)
    try ctx.destroyAccess(access)
  }
}
