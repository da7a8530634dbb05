extension IOMMUFDContext {
  /// `iommu_report_device_fault` (drivers/iommu/io-pgfault.c, v6.17) for a
  /// device bound to this context, as the IOMMU driver (or the selftest's
  /// `IOMMU_TEST_OP_TRIGGER_IOPF`) calls it. Bad `device` → `ENOENT`. Then:
  /// 1. `find_fault_handler`: without PASID_VALID, the HWPT the device is
  ///    attached to; with PASID_VALID (no PASID attachments in this model),
  ///    the attached HWPT only if it is nested (SMMUv3 and the selftest mock
  ///    have `user_pasid_table`); the HWPT must have a fault queue (an
  ///    `iopf_handler`). No handler → the device is answered `INVALID` at once
  ///    (`iopf_error_response`).
  /// 2. Not LAST_PAGE: kept with the device's partial faults
  ///    (`report_partial_fault`); nothing is answered.
  /// 3. LAST_PAGE: a group is formed (`iopf_group_alloc`: the partial faults
  ///    of the same `grpid`, each moved to the head of the list, so in
  ///    reverse order, then this one) and appended to the HWPT's fault
  ///    queue (`iommufd_fault_iopf_handler`).
  @discardableResult
  public func reportPageFault(device deviceID: UInt32, _ fault: PageFault) throws(Errno) -> PageFaultOutcome {
    let device = try lookup(deviceID, .device, "iommu_report_device_fault") as! IOMMUFDDevice
    var handle = device.attachedHWPT
    if fault.flags & PageFault.flagPASIDValid != 0 && !(handle is HWPTNested) { handle = nil }
    guard let hwpt = handle, let queue = faultQueue(of: hwpt) else {
      device.pageResponses.append(
        PageResponse(grpid: fault.grpid, pasid: fault.flags & PageFault.flagPASIDValid != 0 ? fault.pasid : nil, code: .invalid))
      return .answered(.invalid)
    }
    guard fault.flags & PageFault.flagLastPage != 0 else {
      device.partialFaults.append(fault)
      return .partial
    }
    let partials = device.partialFaults.filter { $0.grpid == fault.grpid }
    device.partialFaults.removeAll { $0.grpid == fault.grpid }
    queue.deliver.append(PageFaultGroup(device: device, hwpt: hwpt, faults: partials.reversed() + [fault]))
    return .queued(faultID: queue.id)
  }

  /// `read(fd, buf, count)` on a fault queue's fd (`iommufd_fault_fops_read`,
  /// eventq.c, v6.17); returns the bytes copied (empty = 0):
  /// 1. no open fault-queue fd with that ID → `EBADF`; `count < 0` → `EINVAL`;
  /// 2. `offset` (`*ppos`) != 0, or `count` not a multiple of 40 → `ESPIPE`;
  /// 3. whole groups from the head while they fit (a group of n faults needs
  ///    40·n bytes; one that does not fit stays queued and the read stops).
  ///    Each delivered group gets a cookie, the lowest free ≥ 1 in
  ///    `fault->response`, and waits there for the answer; each fault is one
  ///    `struct iommu_hwpt_pgfault` (see ``PageFault/record(deviceID:cookie:)``).
  public func read(fault faultID: UInt32, count: Int, offset: Int64 = 0) throws(Errno) -> [UInt8] {
    let queue = try openFaultQueue(faultID, "read")
    guard count >= 0 else { throw Errno.einval("read: count \(count) is negative") }
    guard offset == 0, count % PageFault.recordSize == 0 else {
      throw Errno.espipe(
        "read: fault fd at offset \(offset), count \(count) (*ppos != 0 or count % sizeof(struct iommu_hwpt_pgfault) != 0)")
    }
    var bytes: [UInt8] = []
    while let group = queue.deliver.first {
      guard bytes.count < count, group.faults.count * PageFault.recordSize <= count - bytes.count else { break }
      var cookie: UInt32 = 1
      while queue.response[cookie] != nil { cookie += 1 }
      queue.deliver.removeFirst()
      group.cookie = cookie
      queue.response[cookie] = group
      for fault in group.faults { bytes += fault.record(deviceID: group.device.id, cookie: cookie) }
    }
    return bytes
  }

  /// `write(fd, buf, count)` on a fault queue's fd (`iommufd_fault_fops_write`,
  /// eventq.c, v6.17): `bytes` are `struct iommu_hwpt_page_response { cookie;
  /// code; }` entries (8 bytes each). Returns the bytes consumed:
  /// 1. no open fault-queue fd with that ID → `EBADF`;
  /// 2. `offset` != 0 or a count not a multiple of 8 → `ESPIPE`;
  /// 3. per response, in order: `code` not SUCCESS (0) or INVALID (1) →
  ///    `EINVAL`; `cookie` not awaiting an answer → `EINVAL`; otherwise the
  ///    group's device gets the answer and the cookie is freed.
  /// A failure after some responses were consumed returns their byte count
  /// instead of the error, as the kernel does.
  @discardableResult
  public func write(fault faultID: UInt32, bytes: [UInt8], offset: Int64 = 0) throws(Errno) -> Int {
    let queue = try openFaultQueue(faultID, "write")
    guard offset == 0, bytes.count % 8 == 0 else {
      throw Errno.espipe(
        "write: fault fd at offset \(offset), count \(bytes.count) (*ppos != 0 or count % sizeof(struct iommu_hwpt_page_response) != 0)")
    }
    func le32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << UInt32(8 * $1) } }
    var done = 0
    var failure: Errno?
    while done < bytes.count {
      let cookie = le32(done)
      let rawCode = le32(done + 4)
      guard rawCode <= 1, let code = PageResponse.Code(rawValue: rawCode) else {
        failure = Errno.einval("write: response code \(rawCode) is not IOMMUFD_PAGE_RESP_SUCCESS or _INVALID")
        break
      }
      guard let group = queue.response.removeValue(forKey: cookie) else {
        failure = Errno.einval("write: cookie \(cookie) is not awaiting a response")
        break
      }
      respond(group, code)
      done += 8
    }
    if done == 0, let failure { throw failure }
    return done
  }

  /// The fault queue behind a HWPT's `iopf_handler`.
  func faultQueue(of hwpt: IOMMUFDObject) -> FaultQueue? {
    switch hwpt {
    case let paging as HWPTPaging: paging.fault
    case let nested as HWPTNested: nested.fault
    default: nil
    }
  }

  func openFaultQueue(_ id: UInt32, _ what: String) throws(Errno) -> FaultQueue {
    guard case .live(let object) = slots[id], let queue = object as? FaultQueue, queue.isFileOpen else {
      throw Errno.ebadf("\(what): no open fault queue fd for ID \(id)")
    }
    return queue
  }

  /// `iopf_group_response` + `iopf_free_group`.
  func respond(_ group: PageFaultGroup, _ code: PageResponse.Code) {
    let last = group.last
    group.device.pageResponses.append(
      PageResponse(grpid: last.grpid, pasid: last.flags & PageFault.flagPASIDValid != 0 ? last.pasid : nil, code: code))
  }

  /// `iommufd_auto_response_faults(hwpt, handle)`: after `device` left `hwpt`
  /// (detach or replace), its groups still queued or awaiting an answer are
  /// answered `INVALID`.
  func autoRespondFaults(_ hwpt: IOMMUFDObject, device: IOMMUFDDevice) {
    guard let queue = faultQueue(of: hwpt) else { return }
    let mine = { (group: PageFaultGroup) in group.hwpt === hwpt && group.device === device }
    for group in queue.deliver where mine(group) { respond(group, .invalid) }
    queue.deliver.removeAll(where: mine)
    for cookie in queue.response.keys.sorted() where mine(queue.response[cookie]!) {
      respond(queue.response.removeValue(forKey: cookie)!, .invalid)
    }
  }

  /// `iommufd_fault_destroy`: every group still queued or awaiting an answer
  /// is answered `INVALID`.
  func destroyFaultQueue(_ queue: FaultQueue) {
    for group in queue.deliver { respond(group, .invalid) }
    queue.deliver.removeAll()
    for cookie in queue.response.keys.sorted() { respond(queue.response.removeValue(forKey: cookie)!, .invalid) }
  }
}
