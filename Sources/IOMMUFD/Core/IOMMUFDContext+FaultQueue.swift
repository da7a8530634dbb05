extension IOMMUFDContext {
  /// `IOMMU_FAULT_QUEUE_ALLOC` (`iommufd_fault_alloc`, drivers/iommu/
  /// iommufd/eventq.c, v6.17); returns `out_fault_id`. `flags != 0` →
  /// `EOPNOTSUPP`. The queue's fd (`[iommufd-pgfault]`) is open on return
  /// and holds a `users` reference, so `IOMMU_DESTROY` of the queue is
  /// `EBUSY` until ``closeFaultQueueFile(_:)`` and while any HWPT allocated
  /// with its ID (`IOMMU_HWPT_FAULT_ID_VALID`) lives. Faults arrive through
  /// ``reportPageFault(device:_:)`` and are read and answered through the fd
  /// (``read(fault:count:offset:)``, ``write(fault:bytes:offset:)``).
  public func allocFaultQueue(flags: UInt32 = 0) throws(Errno) -> UInt32 {
    guard flags == 0 else {
      throw Errno.eopnotsupp("IOMMU_FAULT_QUEUE_ALLOC: flags 0x\(hex(UInt64(flags))) != 0")
    }
    let fault = FaultQueue()
    try allocateObject(fault)
    fault.users += 1
    finalize(fault)
    return fault.id
  }

  /// `close()` of the fault queue's fd (`iommufd_fault_fops_release`): drops
  /// the fd's reference. Bad ID, not a FAULT, or already closed → `EBADF`
  /// (the fd no longer exists).
  public func closeFaultQueueFile(_ id: UInt32) throws(Errno) {
    guard case .live(let object) = slots[id], let fault = object as? FaultQueue, fault.isFileOpen else {
      throw Errno.ebadf("close: no open fault queue fd for ID \(id)")
    }
    fault.isFileOpen = false
    fault.users -= 1
  }
}
