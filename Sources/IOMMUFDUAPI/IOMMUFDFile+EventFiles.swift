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

  /// The size of `struct iommufd_vevent_header`.
  static let veventHeaderSize = MemoryLayout<iommufd_vevent_header>.size
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
  /// Fault queue (`iommufd_fault_fops_read`, ``IOMMUFDContext/readFaults(_:count:)``):
  /// `count` not a multiple of 40 → `ESPIPE`; whole fault groups as 40-byte
  /// `struct iommu_hwpt_pgfault` records, each group given a cookie.
  ///
  /// An unknown descriptor → `EBADF`.
  public func read(descriptor fd: Int32, into buffer: UnsafeMutableRawPointer?, count: Int) -> Int {
    defer { refreshReadiness() }
    do throws(Errno) {
      guard let file = eventFiles[fd] else { throw Errno.ebadf("read: descriptor \(fd) is not an iommufd event file") }
      guard count >= 0 else { throw Errno.einval("read: negative count") }
      let address = UInt64(UInt(bitPattern: buffer))
      switch file.kind {
      case .fault:
        guard count % Self.pageFaultSize == 0 else {
          throw Errno.espipe("read: count \(count) is not a multiple of sizeof(struct iommu_hwpt_pgfault) (40)")
        }
        // Whole groups that fit; probe that the buffer takes them before
        // dequeuing (the kernel puts back what it could not copy).
        var fits = 0
        for group in (context.object(file.objectID) as? FaultQueue)?.deliver ?? [] {
          let size = group.faults.count * Self.pageFaultSize
          guard fits + size <= count else { break }
          fits += size
        }
        let writable = UserPointer.writePrefix([UInt8](repeating: 0, count: fits), to: address)
        let bytes = try context.readFaults(file.objectID, count: writable - writable % Self.pageFaultSize)
        if bytes.isEmpty && fits > 0 { throw Errno.efault("fault read: the buffer cannot be written") }
        try UserPointer.write(bytes, to: address, "fault read")
        lastError = nil
        return bytes.count
      case .veventq:
        let (bytes, ends) = try eventBytes(file.objectID, count: count)
        let written = UserPointer.writePrefix(bytes, to: address)
        let taken = ends.prefix { $0 <= written }.count
        if taken > 0 { _ = try context.readEvents(file.objectID, maxCount: taken) }
        if taken == 0 && !bytes.isEmpty { throw Errno.efault("vEVENTQ read: the buffer cannot be written") }
        lastError = nil
        return taken == 0 ? 0 : ends[taken - 1]
      }
    } catch {
      lastError = error
      return -Int(error.code)
    }
  }

  /// The records that fit in `count` bytes as the kernel lays them out,
  /// without dequeuing them, and where each record ends.
  func eventBytes(_ id: UInt32, count: Int) throws(Errno) -> ([UInt8], [Int]) {
    let pending = try context.pendingEvents(id)
    var out: [UInt8] = []
    var ends: [Int] = []
    for event in pending {
      let data: [UInt8]
      let flags: UInt32
      switch event.kind {
      case .event(let bytes): (data, flags) = (bytes, 0)
      case .lostEvents: (data, flags) = ([], 1)
      }
      let room = count - out.count
      guard room >= Self.veventHeaderSize, Self.veventHeaderSize + data.count <= room else { break }
      withUnsafeBytes(of: flags.littleEndian) { out += $0 }
      withUnsafeBytes(of: event.sequence.littleEndian) { out += $0 }
      out += data
      ends.append(out.count)
    }
    return (out, ends)
  }

  /// `write(2)` on a fault descriptor: page responses
  /// (``IOMMUFDContext/writeFaultResponses(_:_:)``, `iommufd_fault_fops_write`):
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
      let done = try context.writeFaultResponses(file.objectID, bytes)
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
    if file.kind == .fault { try? context.closeFaultQueueFile(file.objectID) }
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
