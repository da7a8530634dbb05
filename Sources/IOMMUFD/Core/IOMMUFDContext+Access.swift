extension IOMMUFDContext {
  /// `iommufd_access_create` + `iommufd_access_attach` (what VFIO does for an
  /// emulated/mdev device): an external access to `ioas`, put in the table
  /// with `users == 2` (the table, and the calling driver until
  /// ``destroyAccess(_:)``), holding a `users` reference on the IOAS.
  ///
  /// `unmap` is `ops->unmap`: it must unpin what it pinned in the range and
  /// must not destroy the access or take a lock that the access's destroy
  /// path holds (kdoc of `iommufd_access_notify_unmap`, drivers/iommu/iommufd/device.c).
  public func createAccess(
    ioas ioasID: UInt32, unmap: @escaping (Access, _ iova: UInt64, _ length: UInt64) -> Void
  ) throws(Errno) -> Access {
    let ioas = try lookup(ioasID, .ioas, "iommufd_access_attach") as! IOAS
    let access = Access(ioas: ioas, isInternal: false, unmap: unmap)
    try allocateObject(access)
    access.users += 1
    ioas.users += 1
    ioas.accesses.append(access)
    finalize(access)
    return access
  }

  /// `iommufd_access_create_internal` + attach (`__iommufd_access_create`,
  /// drivers/iommu/iommufd/device.c, v6.17): an IOMMUFD_OBJ_ACCESS put in the
  /// table and finalized at once, so it takes the next free ID, with
  /// `users == 2` (the table and its creator; `IOMMU_DESTROY` of it is
  /// `EBUSY`). Its pins lock the pages against `IOMMU_IOAS_UNMAP` (HW queues).
  /// ``destroyInternalAccess(_:)`` removes it.
  func createInternalAccess(ioas: IOAS, owner: IOMMUFDObject) throws(Errno) -> Access {
    let access = Access(ioas: ioas, isInternal: true, unmap: nil)
    access.owner = owner
    try allocateObject(access)
    access.users = 2
    ioas.users += 1
    ioas.accesses.append(access)
    finalize(access)
    return access
  }

  /// `iommufd_access_destroy_internal`: unpins, detaches and removes the
  /// internal access from the table (its ID is free again).
  func destroyInternalAccess(_ access: Access) {
    releaseAccess(access)
    if case .live(let object) = slots[access.id], object === access { slots[access.id] = nil }
    access.users = 0
  }

  /// `iommufd_access_pin_pages`: pins `[iova, iova + length)` (widened to
  /// whole pages) and returns the physical address of each page.
  /// 1. `length == 0` → `EINVAL`; 2. `iova + length - 1` overflows →
  /// `EOVERFLOW`; 3. access detached → `EINVAL`; 4. a page not mapped → `ENOENT`.
  public func accessPinPages(_ access: Access, iova: UInt64, length: UInt64) throws(Errno) -> [UInt64] {
    guard length != 0 else { throw Errno.einval("iommufd_access_pin_pages: length is 0") }
    guard !iova.addingReportingOverflow(length - 1).overflow else {
      throw Errno.eoverflow("iommufd_access_pin_pages: iova + length - 1 overflows")
    }
    guard let ioas = access.ioas, access.state == .live else {
      throw Errno.einval("iommufd_access_pin_pages: \(access.name) is not attached")
    }
    let first = iova & ~Self.pageMask
    let last = iova + (length - 1)
    // The page array the caller passes (`out_pages`) is at most a kvcalloc'd
    // one; checked before any page is looked at.
    let pageCount = (last >> 12) - (first >> 12) + 1
    guard pageCount <= Self.maxPageArrayEntries else {
      throw Errno.enomem("iommufd_access_pin_pages: \(pageCount) pages do not fit a page array")
    }
    // Coverage first, walking areas only: an unmapped IOVA fails before any
    // page is collected, whatever the length.
    var probe = first
    while true {
      guard let area = ioas.area(containing: probe) else {
        throw Errno.enoent("iommufd_access_pin_pages: IOVA 0x\(hex(probe)) is not mapped in IOAS \(ioas.id)")
      }
      if area.last >= last { break }
      probe = area.last + 1
    }
    // Walk the areas covering [first, last].
    var pages: [UInt64] = []
    var cursor = first
    while true {
      guard let area = ioas.area(containing: cursor) else {
        throw Errno.enoent("iommufd_access_pin_pages: IOVA 0x\(hex(cursor)) is not mapped in IOAS \(ioas.id)")
      }
      let stop = min(area.last, last)
      var page = cursor
      while true {
        pages.append(area.physicalAddress + (page - area.iova))
        if stop - page < IOAS.pageSize { break }
        page += IOAS.pageSize
      }
      if stop == last { break }
      cursor = area.last + 1
    }
    var page = first
    for _ in pages {
      access.pinnedPages[page, default: 0] += 1
      page &+= IOAS.pageSize
    }
    access.pinnedRanges.append(Access.PinnedRange(iova: iova, length: length))
    return pages
  }

  /// `iommufd_access_unpin_pages`: must match an earlier pin exactly
  /// (otherwise a warning is recorded and nothing changes).
  public func accessUnpinPages(_ access: Access, iova: UInt64, length: UInt64) {
    guard let index = access.pinnedRanges.firstIndex(of: Access.PinnedRange(iova: iova, length: length)) else {
      warn("iommufd_access_unpin_pages: \(access.name) never pinned [0x\(hex(iova)), +0x\(hex(length))]")
      return
    }
    access.pinnedRanges.remove(at: index)
    let first = iova & ~Self.pageMask
    let last = iova + (length - 1)
    var page = first
    while true {
      if let count = access.pinnedPages[page] {
        access.pinnedPages[page] = count > 1 ? count - 1 : nil
      }
      if last - page < IOAS.pageSize { break }
      page += IOAS.pageSize
    }
  }

  /// `iommufd_access_destroy`, checked by the lock-order checker first:
  /// - called from inside an unmap callback on the same IOAS (its own or
  ///   another access's) → ``LockOrderViolation/accessDestroyedInsideUnmapCallback(access:callbackAccess:)``;
  /// - called while holding a ``DriverLock`` that an unmap callback on this
  ///   IOAS was seen taking →
  ///   ``LockOrderViolation/destroyPathHoldsLockTakenInUnmapCallback(lock:destroyedAccess:callbackAccess:ioas:)``.
  ///
  /// On a violation nothing is destroyed; the violation is recorded in
  /// ``lockDiagnostics`` and thrown. Otherwise the locks held are remembered
  /// as "held by the destroy path" (like lockdep's dependency graph), the
  /// driver's reference is dropped and the access destroyed (unpinning all).
  public func destroyAccess(_ access: Access) throws(LockOrderViolation) {
    guard !access.isInternal, access.state == .live, let ioas = access.ioas else {
      warn("iommufd_access_destroy: \(access.name) is not a live external access")
      return
    }
    let key = ObjectIdentifier(ioas)
    if let running = unmapCallbackStack.last(where: { $0.ioas === ioas }) {
      let violation = LockOrderViolation.accessDestroyedInsideUnmapCallback(
        access: access.id, callbackAccess: running.id)
      lockDiagnostics.append(violation)
      throw violation
    }
    for lock in heldLocks {
      if let callbackAccess = unmapCallbackLocks[key]?[lock.name] {
        let violation = LockOrderViolation.destroyPathHoldsLockTakenInUnmapCallback(
          lock: lock.name, destroyedAccess: access.id, callbackAccess: callbackAccess, ioas: ioas.id)
        lockDiagnostics.append(violation)
        throw violation
      }
    }
    for lock in heldLocks { destroyPathLocks[key, default: [:]][lock.name] = access.id }
    access.users -= 1
    do {
      try removeObject(id: access.id, tombstone: false, what: "iommufd_access_destroy")
    } catch {
      access.users += 1
      warn("iommufd_access_destroy: \(error)")
    }
  }

  /// Drops everything an access holds: its pins and its IOAS reference.
  func releaseAccess(_ access: Access) {
    guard let ioas = access.ioas else { return }
    if !access.pinnedPages.isEmpty && !access.isInternal {
      warn("\(access.name) destroyed with \(access.pinnedPages.count) pages still pinned; unpinning")
    }
    access.pinnedPages.removeAll()
    access.pinnedRanges.removeAll()
    ioas.accesses.removeAll { $0 === access }
    ioas.users -= 1
    access.ioas = nil
    access.state = .destroyed
  }

  /// Acquires a driver lock (`mutex_lock`). Inside an unmap callback, taking
  /// a lock that the destroy path of an access on the same IOAS held is
  /// ``LockOrderViolation/lockTakenInUnmapCallbackHeldByDestroyPath(lock:callbackAccess:destroyedAccess:ioas:)``:
  /// recorded, thrown, and the lock is not taken.
  /// Acquiring a lock already held is ``LockOrderViolation/lockAlreadyHeld(lock:)``.
  public func acquire(_ lock: DriverLock) throws(LockOrderViolation) {
    if heldLocks.contains(where: { $0 === lock }) {
      let violation = LockOrderViolation.lockAlreadyHeld(lock: lock.name)
      lockDiagnostics.append(violation)
      throw violation
    }
    if let running = unmapCallbackStack.last, let ioas = running.ioas {
      let key = ObjectIdentifier(ioas)
      if let destroyed = destroyPathLocks[key]?[lock.name] {
        let violation = LockOrderViolation.lockTakenInUnmapCallbackHeldByDestroyPath(
          lock: lock.name, callbackAccess: running.id, destroyedAccess: destroyed, ioas: ioas.id)
        lockDiagnostics.append(violation)
        throw violation
      }
      unmapCallbackLocks[key, default: [:]][lock.name] = running.id
    }
    heldLocks.append(lock)
  }

  /// Releases a driver lock (`mutex_unlock`). Releasing a lock not held is
  /// recorded as a warning.
  public func release(_ lock: DriverLock) {
    guard let index = heldLocks.lastIndex(where: { $0 === lock }) else {
      warn("mutex_unlock of \(lock) which is not held")
      return
    }
    heldLocks.remove(at: index)
  }

  /// The driver locks currently held, outermost first.
  public var currentlyHeldLocks: [DriverLock] { heldLocks }
}
