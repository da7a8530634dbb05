import CCMDQV
import IOMMUFD

extension IOMMUFDFile {
  /// `IOMMU_VEVENTQ_ALLOC` (`iommufd_veventq_alloc`, eventq.c, v6.17):
  /// `__reserved` → `EOPNOTSUPP`, then
  /// ``IOMMUFDContext/allocVEventQueue(viommu:type:depth:flags:)``, then the
  /// `[iommufd-viommu-event]` descriptor (its failure destroys the queue).
  /// The open descriptor keeps the queue alive: `IOMMU_DESTROY` is `EBUSY`
  /// until it is closed.
  func veventqAlloc(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_veventq_alloc.self)
    guard cmd.__reserved == 0 else { throw Errno.eopnotsupp("IOMMU_VEVENTQ_ALLOC: __reserved is not 0") }
    let id = try context.allocVEventQueue(
      viommu: cmd.viommu_id, type: cmd.type, depth: cmd.veventq_depth, flags: cmd.flags)
    let fd: Int32
    do throws(Errno) {
      fd = try descriptors.openDescriptor(name: "[iommufd-viommu-event]")
    } catch {
      try? context.destroy(id)
      throw error
    }
    eventFiles[fd] = EventFile(descriptor: fd, kind: .veventq, objectID: id)
    cmd.out_veventq_id = id
    cmd.out_veventq_fd = UInt32(bitPattern: fd)
    try ucmd.respond(cmd)
  }

  /// `IOMMU_FAULT_QUEUE_ALLOC` (`iommufd_fault_alloc`, eventq.c, v6.17):
  /// ``IOMMUFDContext/allocFaultQueue(flags:)`` and its `[iommufd-pgfault]`
  /// descriptor.
  func faultQueueAlloc(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_fault_alloc.self)
    let id = try context.allocFaultQueue(flags: cmd.flags)
    let fd: Int32
    do throws(Errno) {
      fd = try descriptors.openDescriptor(name: "[iommufd-pgfault]")
    } catch {
      try? context.closeFaultQueueFile(id)
      try? context.destroy(id)
      throw error
    }
    eventFiles[fd] = EventFile(descriptor: fd, kind: .fault, objectID: id)
    cmd.out_fault_id = id
    cmd.out_fault_fd = UInt32(bitPattern: fd)
    try ucmd.respond(cmd)
  }

  /// The size of `struct iommu_hwpt_pgfault`.
  static let pageFaultSize = MemoryLayout<iommu_hwpt_pgfault>.size
  /// The size of `struct iommu_hwpt_page_response`.
  static let pageResponseSize = MemoryLayout<iommu_hwpt_page_response>.size

  /// `read(2)` on a vEVENTQ or fault descriptor: the bytes read, or `-errno`.
  ///
  /// vEVENTQ (`iommufd_veventq_fops_read`, eventq.c, v6.17): whole records
  /// only, oldest first; each is an 8-byte `iommufd_vevent_header` (flags,
  /// sequence) plus the event's data (none for the LOST_EVENTS header). A
  /// record that does not fit in what is left of `count` stays queued; a
  /// buffer too small for the first record, or an empty queue, reads 0
  /// (reads never block). A `NULL` buffer with records to copy → `EFAULT`.
  ///
  /// Fault queue (`iommufd_fault_fops_read`, ``IOMMUFDContext/read(fault:count:offset:)``):
  /// `count` not a multiple of 40 → `ESPIPE`; whole fault groups as 40-byte
  /// `struct iommu_hwpt_pgfault` records, each group given a cookie.
  ///
  /// An unknown descriptor → `EBADF`.
  public func read(descriptor fd: Int32, into buffer: UnsafeMutableRawPointer?, count: Int) -> Int {
    defer { refreshReadiness() }
    do throws(Errno) {
      guard let file = eventFiles[fd] else { throw Errno.ebadf("read: descriptor \(fd) is not an iommufd event file") }
      guard count >= 0 else { throw Errno.einval("read: negative count") }
      // Only what the writable part of the buffer takes is dequeued (the
      // kernel puts back a record it could not copy); a buffer that takes
      // nothing while records wait is EFAULT.
      let address = UInt64(UInt(bitPattern: buffer))
      let writable = UserPointer.writableLength(address, upTo: count)
      let bytes: [UInt8]
      let waiting: Bool
      switch file.kind {
      case .fault:
        guard count % Self.pageFaultSize == 0 else {
          throw Errno.espipe("read: count \(count) is not a multiple of sizeof(struct iommu_hwpt_pgfault) (40)")
        }
        waiting = ((context.object(file.objectID) as? FaultQueue)?.pendingGroupCount ?? 0) > 0
        bytes = try context.read(fault: file.objectID, count: writable - writable % Self.pageFaultSize)
      case .veventq:
        waiting = !(try context.pendingEvents(file.objectID)).isEmpty
        bytes = try context.read(veventq: file.objectID, count: writable)
      }
      if bytes.isEmpty && waiting && writable < count {
        throw Errno.efault("read: the buffer cannot be written")
      }
      try UserPointer.write(bytes, to: address, "read")
      lastError = nil
      return bytes.count
    } catch {
      lastError = error
      return -Int(error.code)
    }
  }

  /// `write(2)` on a fault descriptor: page responses
  /// (``IOMMUFDContext/write(fault:bytes:offset:)``, `iommufd_fault_fops_write`):
  /// 8 bytes each, `ESPIPE` for another length, `EINVAL` for a bad code or
  /// an unknown cookie (when nothing was consumed), else the bytes
  /// consumed. A vEVENTQ has no write → `EINVAL`. Returns the bytes consumed
  /// or `-errno`.
  public func write(descriptor fd: Int32, from buffer: UnsafeRawPointer?, count: Int) -> Int {
    defer { refreshReadiness() }
    do throws(Errno) {
      guard let file = eventFiles[fd] else { throw Errno.ebadf("write: descriptor \(fd) is not an iommufd event file") }
      guard file.kind == .fault else { throw Errno.einval("write: a vEVENTQ file has no write") }
      guard count >= 0 else { throw Errno.einval("write: negative count") }
      guard count % Self.pageResponseSize == 0 else {
        throw Errno.espipe("write: \(count) bytes is not a multiple of sizeof(struct iommu_hwpt_page_response) (8)")
      }
      let bytes = try UserPointer.read(UInt64(UInt(bitPattern: buffer)), count: count, "fault write")
      let done = try context.write(fault: file.objectID, bytes: bytes)
      lastError = nil
      return done
    } catch {
      lastError = error
      return -Int(error.code)
    }
  }

  /// Whether a read on `fd` would return data now (`EPOLLIN`).
  public func isReadable(descriptor fd: Int32) -> Bool {
    eventFiles[fd].map(isReadable) ?? false
  }

  /// `close(2)` on an event descriptor: drops the file's reference on its
  /// queue (`iommufd_fault_fops_release` / `iommufd_veventq_fops_release`).
  /// `EBADF` for an unknown descriptor. Returns 0 or the errno.
  @discardableResult
  public func close(descriptor fd: Int32) -> Int32 {
    guard let file = eventFiles.removeValue(forKey: fd) else {
      lastError = Errno.ebadf("close: descriptor \(fd) is not an iommufd event file")
      return Errno.ebadf.code
    }
    // The fd holds its queue (iommufd_eventq_init takes a user reference):
    // closing it is what lets IOMMU_DESTROY of the queue succeed.
    switch file.kind {
    case .fault: try? context.closeFaultQueueFile(file.objectID)
    case .veventq: try? context.closeVEventQueueFile(file.objectID)
    }
    descriptors.closeDescriptor(fd)
    return 0
  }

  /// `close(2)` of the iommufd itself (`iommufd_fops_release`): every event
  /// file is closed first (each holds the iommufd open in the kernel, so a
  /// process exit releases them before it), then the context releases every
  /// object; pinned user pages are released.
  @discardableResult
  public func close() -> CloseReport {
    for fd in eventFiles.keys.sorted() { close(descriptor: fd) }
    let report = context.close()
    releaseAllUserMappings()
    isClosed = true
    return report
  }
}
