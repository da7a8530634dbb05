extension IOMMUFDContext {
  /// `IOMMU_DESTROY` (`iommufd_object_remove(ictx, NULL, id, 0)`):
  /// 1. a NULL, reserved or tombstoned slot → `ENOENT`;
  /// 2. `refcount_dec_if_one(&obj->users)` fails → `EBUSY`, object intact;
  /// 3. the slot is cleared, then the type's destroy runs.
  public func destroy(_ id: UInt32) throws(Errno) {
    try removeObject(id: id, tombstone: false, what: "IOMMU_DESTROY")
  }

  func removeObject(id: UInt32, tombstone: Bool, what: String) throws(Errno) {
    guard let slot = slots[id] else { throw Errno.enoent("\(what): no object with ID \(id)") }
    guard case .live(let object) = slot else {
      throw Errno.enoent("\(what): ID \(id) is reserved or a tombstone")
    }
    guard object.users == 1 else {
      throw Errno.ebusy("\(what): \(object.label) still has \(object.users) users")
    }
    object.users = 0
    slots[id] = tombstone ? .tombstone(object.type) : nil
    runDestroy(object)
  }

  /// `iommufd_fops_release`: closing the fd.
  ///
  /// Live mmaps are torn down first (a process's VMAs are unmapped before its
  /// files are released), then attached devices are detached and fault-queue
  /// and vEVENTQ fds closed (those files hold the iommufd file open, so they are released
  /// before it). Then, pass after pass, every object whose `users`
  /// is exactly 1 is destroyed in ID order (`xa_for_each`), so leaves go
  /// first. A pass that destroys nothing ends the loop with a warning (the
  /// kernel `WARN_ON(!destroyed)`) and the leftovers are reported. Tombstones
  /// are released at the end (`xa_destroy`). The context stays usable.
  @discardableResult
  public func close() -> CloseReport {
    var report = CloseReport()
    for mapping in mappings where mapping.isMapped {
      mapping.munmap()
      report.unmappedMappings += 1
    }
    for device in objects(of: IOMMUFDDevice.self) where device.attachedHWPT != nil {
      detach(device)
      report.detachedDevices += 1
    }
    for fault in objects(of: FaultQueue.self) where fault.isFileOpen {
      fault.isFileOpen = false
      fault.users -= 1
      report.closedFaultFiles += 1
    }
    for queue in objects(of: VEventQueue.self) where queue.isFileOpen {
      queue.isFileOpen = false
      queue.users -= 1
      report.closedEventQueueFiles += 1
    }
    while true {
      let liveIDs = slots.compactMap { id, slot -> UInt32? in
        if case .live = slot { return id }
        return nil
      }
      if liveIDs.isEmpty { break }
      report.passes += 1
      var destroyedThisPass = 0
      var cursor: UInt32 = 0
      while let next = nextLiveID(after: cursor) {
        cursor = next
        guard case .live(let object) = slots[next], object.users == 1 else { continue }
        object.users = 0
        slots[next] = nil
        runDestroy(object)
        report.destroyed.append((next, object.type))
        destroyedThisPass += 1
      }
      if destroyedThisPass == 0 {
        for id in liveIDs.sorted() {
          if case .live(let object) = slots[id] { report.leftovers.append((id, object.type, object.users)) }
        }
        warn(
          "iommufd_fops_release: a pass made no progress; left "
            + report.leftovers.map { "\($0.id) (\($0.type), users \($0.users))" }.joined(separator: ", "))
        break
      }
    }
    for (id, slot) in slots {
      if case .tombstone = slot {
        report.releasedTombstones.append(id)
        slots[id] = nil
      }
    }
    report.releasedTombstones.sort()
    return report
  }

  func nextLiveID(after id: UInt32) -> UInt32? {
    var best: UInt32?
    for (key, slot) in slots where key > id {
      if case .live = slot, best.map({ key < $0 }) ?? true { best = key }
    }
    return best
  }
}
