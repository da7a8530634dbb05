extension IOMMUFDContext {
  /// `IOMMU_HW_QUEUE_ALLOC` (`iommufd_hw_queue_alloc_ioctl`, v6.17), checked
  /// in the kernel's order (drivers/iommu/iommufd/viommu.c):
  /// 1. `flags != 0` or `type == IOMMU_HW_QUEUE_TYPE_DEFAULT` → `EOPNOTSUPP`;
  /// 2. `length == 0` → `EINVAL`;
  /// 3. `nestingParentIOVA + length - 1` overflows → `EOVERFLOW`;
  /// 4. bad `viommu` → `ENOENT`;
  /// 5. no ops, or no `get_hw_queue_size`/`hw_queue_init_phys` → `EOPNOTSUPP`;
  /// 6. `get_hw_queue_size == 0` → `EOPNOTSUPP`;
  /// 7. size < core size (WARN) → `EOPNOTSUPP`;
  /// 8. object allocation → `ENOMEM`;
  /// 9. `offset + length` or `+ PAGE_SIZE - 1` overflows → `ERANGE`;
  /// 10. pinning `[PAGE_ALIGN_DOWN(iova), +round_up(offset + length))` in
  ///     the nesting parent's IOAS fails → `ENOENT` (not mapped);
  /// 11. the pinned pages are not physically contiguous → `EFAULT`;
  /// 12. `hw_queue_init_phys(queue, index, base_pa)` fails → its errno.
  ///
  /// The queue's internal access takes the next ID after the queue's
  /// (`iommufd_hw_queue_alloc_phys`), so a live HW queue occupies two IDs.
  ///
  /// `base_pa = PA(page 0) + (iova - PAGE_ALIGN_DOWN(iova))`. On any failure
  /// after step 8 the queue is abort-destroyed: its `destroy` callback (if
  /// the driver set one) runs, every pin is dropped, the internal access is
  /// destroyed and the vIOMMU reference released — no object and no pinned
  /// page is left.
  public func allocHWQueue(
    viommu viommuID: UInt32, type: UInt32, index: UInt32, nestingParentIOVA iova: UInt64, length: UInt64,
    flags: UInt32 = 0
  ) throws(Errno) -> UInt32 {
    guard flags == 0 else { throw Errno.eopnotsupp("IOMMU_HW_QUEUE_ALLOC: flags 0x\(hex(UInt64(flags))) != 0") }
    guard type != 0 else { throw Errno.eopnotsupp("IOMMU_HW_QUEUE_ALLOC: type is IOMMU_HW_QUEUE_TYPE_DEFAULT") }
    guard length != 0 else { throw Errno.einval("IOMMU_HW_QUEUE_ALLOC: length is 0") }
    guard !iova.addingReportingOverflow(length - 1).overflow else {
      throw Errno.eoverflow("IOMMU_HW_QUEUE_ALLOC: nesting_parent_iova + length - 1 overflows")
    }
    let viommu = try lookup(viommuID, .viommu, "IOMMU_HW_QUEUE_ALLOC") as! VIOMMU
    lockObject(viommu)
    defer { putObject(viommu) }
    guard let ops = viommu.ops, ops.supportsHWQueues else {
      throw Errno.eopnotsupp("IOMMU_HW_QUEUE_ALLOC: vIOMMU \(viommuID) has no get_hw_queue_size/hw_queue_init_phys")
    }
    let size = ops.hwQueueSize(viommu, type: type)
    guard size != 0 else {
      throw Errno.eopnotsupp("IOMMU_HW_QUEUE_ALLOC: HW queue type 0x\(hex(UInt64(type))) not supported")
    }
    guard size >= HWQueue.coreStructSize else {
      warn("IOMMU_HW_QUEUE_ALLOC: get_hw_queue_size \(size) < sizeof(struct iommufd_hw_queue)")
      throw Errno.eopnotsupp("IOMMU_HW_QUEUE_ALLOC: driver HW queue size \(size) < core size \(HWQueue.coreStructSize)")
    }
    let queue = HWQueue(viommu: viommu, queueType: type, index: index, baseAddress: iova, length: length)
    try allocateObject(queue)
    viommu.users += 1
    do {
      let (access, basePA) = try hwQueueAllocPhys(queue, iova: iova, length: length)
      queue.access = access
      queue.basePhysicalAddress = basePA
      try ops.hwQueueInitPhys(queue, index: index, basePhysicalAddress: basePA)
    } catch {
      abortAndDestroy(queue)
      throw error
    }
    finalize(queue)
    return queue.id
  }

  /// The most entries a kvcalloc'd page array holds (kvmalloc refuses sizes
  /// above INT_MAX bytes; 8-byte pointers).
  static let maxPageArrayEntries = UInt64(Int32.max) / 8

  /// `iommufd_hw_queue_alloc_phys`: rows 9–11.
  func hwQueueAllocPhys(_ queue: HWQueue, iova: UInt64, length: UInt64) throws(Errno) -> (Access, UInt64) {
    let aligned = iova & ~Self.pageMask
    let offset = iova - aligned
    let (sum, overflow1) = offset.addingReportingOverflow(length)
    let (_, overflow2) = sum.addingReportingOverflow(IOAS.pageSize - 1)
    guard !overflow1, !overflow2 else {
      throw Errno.erange("IOMMU_HW_QUEUE_ALLOC: offset 0x\(hex(offset)) + length 0x\(hex(length)) overflows")
    }
    let pinLength = (sum + IOAS.pageSize - 1) & ~Self.pageMask
    // kvcalloc(max_npages, sizeof(struct page *)): kvmalloc refuses more than
    // INT_MAX bytes, so a huge length is ENOMEM before anything is pinned.
    let maxPages = pinLength / IOAS.pageSize
    guard maxPages <= Self.maxPageArrayEntries else {
      throw Errno.enomem(
        "IOMMU_HW_QUEUE_ALLOC: kvcalloc of \(maxPages) page pointers for length 0x\(hex(length)) exceeds INT_MAX bytes")
    }
    let ioas = queue.viommu.hwpt.ioas
    let access = try createInternalAccess(ioas: ioas, owner: queue)
    queue.access = access
    try checkContiguous(ioas, iova: aligned, length: pinLength)
    let pages: [UInt64]
    do {
      pages = try accessPinPages(access, iova: aligned, length: pinLength)
    } catch {
      throw Errno.enoent(
        "IOMMU_HW_QUEUE_ALLOC: cannot pin [0x\(hex(aligned)), +0x\(hex(pinLength))) in IOAS \(ioas.id): \(error.message)")
    }
    for (i, page) in pages.enumerated() where page != pages[0] &+ UInt64(i) &* IOAS.pageSize {
      throw Errno.efault(
        "IOMMU_HW_QUEUE_ALLOC: page \(i) of the queue (PA 0x\(hex(page))) is not contiguous with PA 0x\(hex(pages[0]))")
    }
    return (access, pages[0] + offset)
  }

  /// Rows 10–11 decided area by area before any page is pinned (same errnos
  /// and messages as the pin and the per-page check), so a long queue that
  /// is unmapped or scattered costs nothing proportional to its length.
  func checkContiguous(_ ioas: IOAS, iova: UInt64, length: UInt64) throws(Errno) {
    let last = iova + (length - 1)
    var cursor = iova
    var firstPA: UInt64?
    while true {
      guard let area = ioas.area(containing: cursor) else {
        throw Errno.enoent(
          "IOMMU_HW_QUEUE_ALLOC: cannot pin [0x\(hex(iova)), +0x\(hex(length))) in IOAS \(ioas.id): iommufd_access_pin_pages: IOVA 0x\(hex(cursor)) is not mapped in IOAS \(ioas.id)")
      }
      let pa = area.physicalAddress + (cursor - area.iova)
      if let firstPA, pa != firstPA &+ (cursor - iova) {
        throw Errno.efault(
          "IOMMU_HW_QUEUE_ALLOC: page \((cursor - iova) / IOAS.pageSize) of the queue (PA 0x\(hex(pa))) is not contiguous with PA 0x\(hex(firstPA))")
      }
      if firstPA == nil { firstPA = pa }
      if area.last >= last { return }
      cursor = area.last + 1
    }
  }

  /// `iommufd_hw_queue_destroy`: the driver's `destroy` if set, then unpin and
  /// destroy the internal access, then `viommu.users--`.
  func destroyHWQueue(_ queue: HWQueue) {
    queue.destroy?(queue)
    if let access = queue.access {
      destroyInternalAccess(access)
      queue.access = nil
    }
    queue.viommu.users -= 1
    if let edges = dependencies[ObjectIdentifier(queue)], !edges.isEmpty {
      warn("\(queue.label) destroyed still depending on \(edges.map(\.label)); the driver did not undepend")
    }
  }
}
