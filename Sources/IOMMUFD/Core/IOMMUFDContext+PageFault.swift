extension IOMMUFDContext {
  /// `iommu_report_device_fault` for a page request with `LAST_PAGE` set
  /// (one fault, one group), routed as `find_fault_handler`
  /// (drivers/iommu/io-pgfault.c, v6.17) does in this model, where nothing
  /// attaches by PASID: the device's RID attachment handles it; with
  /// `PASID_VALID` only if that HWPT is nested (the `user_pasid_table`
  /// fallback, which the mock and SMMUv3 both have). The HWPT must have a
  /// fault queue (`iopf_handler`); otherwise the fault is aborted, which is
  /// not an error for the reporter. Returns the group queued, or `nil`.
  @discardableResult
  public func reportPageFault(
    device: IOMMUFDDevice, flags: UInt32, pasid: UInt32, grpid: UInt32, perm: UInt32, addr: UInt64
  ) -> PageFaultGroup? {
    guard let hwpt = device.attachedHWPT else { return nil }
    if flags & HWPTPageFault.flagPASIDValid != 0, !(hwpt is HWPTNested) { return nil }
    guard let fault = faultQueue(of: hwpt) else { return nil }
    let group = PageFaultGroup(
      device: device, hwpt: hwpt,
      faults: [HWPTPageFault(flags: flags, devID: device.id, pasid: pasid, grpid: grpid, perm: perm, addr: addr)])
    fault.deliver.append(group)
    return group
  }

  func faultQueue(of hwpt: IOMMUFDObject) -> FaultQueue? {
    (hwpt as? HWPTNested)?.fault ?? (hwpt as? HWPTPaging)?.fault
  }

  /// `read()` on a fault queue's fd (`iommufd_fault_fops_read`): whole
  /// groups as 40-byte `struct iommu_hwpt_pgfault` records, each group given
  /// the lowest free cookie ≥ 1 and kept until it is answered. Checks: no
  /// open fd for `faultID` → `EBADF`; `count` not a multiple of 40 →
  /// `ESPIPE`. A group that does not fit in what is left of `count` stays
  /// queued; nothing read is an empty result (never blocks).
  public func readFaults(_ faultID: UInt32, count: Int) throws(Errno) -> [UInt8] {
    let fault = try openFaultQueue(faultID, "read")
    guard count >= 0, count % HWPTPageFault.size == 0 else {
      throw Errno.espipe("read: count \(count) is not a multiple of sizeof(struct iommu_hwpt_pgfault) (40)")
    }
    var out: [UInt8] = []
    while let group = fault.deliver.first, group.faults.count * HWPTPageFault.size <= count - out.count {
      fault.deliver.removeFirst()
      var cookie: UInt32 = 1
      while fault.response[cookie] != nil { cookie += 1 }
      group.cookie = cookie
      fault.response[cookie] = group
      for i in group.faults.indices {
        group.faults[i].devID = group.device.id
        group.faults[i].cookie = cookie
        out += group.faults[i].bytes
      }
    }
    return out
  }

  /// `write()` on a fault queue's fd (`iommufd_fault_fops_write`): 8-byte
  /// `struct iommu_hwpt_page_response { cookie; code; }` records, each
  /// answering and freeing its group. Checks: no open fd → `EBADF`; a length
  /// not a multiple of 8 → `ESPIPE`; per record, `code` not SUCCESS/INVALID
  /// → `EINVAL`, an unknown `cookie` → `EINVAL`. Returns the bytes consumed;
  /// an error is thrown only when nothing was consumed (as the kernel
  /// returns the count done).
  @discardableResult
  public func writeFaultResponses(_ faultID: UInt32, _ bytes: [UInt8]) throws(Errno) -> Int {
    let fault = try openFaultQueue(faultID, "write")
    guard bytes.count % 8 == 0 else {
      throw Errno.espipe("write: \(bytes.count) bytes is not a multiple of sizeof(struct iommu_hwpt_page_response) (8)")
    }
    var done = 0
    while done < bytes.count {
      func word(_ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[done + offset + $1]) << UInt32(8 * $1) }
      }
      let cookie = word(0)
      let code = word(4)
      var failure: Errno?
      if code != PageResponse.success && code != PageResponse.invalid {
        failure = Errno.einval("write: response code \(code) is not SUCCESS (0) or INVALID (1)")
      } else if fault.response[cookie] == nil {
        failure = Errno.einval("write: no group waits for cookie \(cookie)")
      }
      if let failure {
        if done == 0 { throw failure }
        break
      }
      respond(fault, fault.response.removeValue(forKey: cookie)!, code: code, automatic: false)
      done += 8
    }
    return done
  }

  func openFaultQueue(_ faultID: UInt32, _ what: String) throws(Errno) -> FaultQueue {
    guard case .live(let object) = slots[faultID], let fault = object as? FaultQueue, fault.isFileOpen else {
      throw Errno.ebadf("\(what): no open fault queue fd for ID \(faultID)")
    }
    return fault
  }

  func respond(_ fault: FaultQueue, _ group: PageFaultGroup, code: UInt32, automatic: Bool) {
    for grpid in Set(group.faults.map(\.grpid)).sorted() {
      fault.responses.append(PageResponse(devID: group.device.id, grpid: grpid, code: code, automatic: automatic))
    }
  }

  /// `iommufd_auto_response_faults`: the device left `hwpt`; its groups
  /// still queued (first) or waiting for a response (then, by cookie) are
  /// answered INVALID and freed.
  func autoRespondFaults(hwpt: IOMMUFDObject, device: IOMMUFDDevice) {
    guard let fault = faultQueue(of: hwpt) else { return }
    let mine = { (group: PageFaultGroup) in group.hwpt === hwpt && group.device === device }
    for group in fault.deliver where mine(group) { respond(fault, group, code: PageResponse.invalid, automatic: true) }
    fault.deliver.removeAll(where: mine)
    for (cookie, group) in fault.response.sorted(by: { $0.key < $1.key }) where mine(group) {
      respond(fault, group, code: PageResponse.invalid, automatic: true)
      fault.response[cookie] = nil
    }
  }

  /// `iommufd_fault_destroy`: every group left is answered INVALID.
  func destroyFaultQueue(_ fault: FaultQueue) {
    for group in fault.deliver { respond(fault, group, code: PageResponse.invalid, automatic: true) }
    for (_, group) in fault.response.sorted(by: { $0.key < $1.key }) {
      respond(fault, group, code: PageResponse.invalid, automatic: true)
    }
    fault.deliver.removeAll()
    fault.response.removeAll()
  }
}
