extension IOMMUFDContext {
  static var pageMask: UInt64 { IOAS.pageSize - 1 }

  /// `IOMMU_IOAS_ALLOC`: returns `out_ioas_id`.
  public func allocIOAS() throws(Errno) -> UInt32 {
    let ioas = IOAS()
    try allocateObject(ioas)
    finalize(ioas)
    return ioas.id
  }

  /// `IOMMU_IOAS_MAP` with `IOMMU_IOAS_MAP_FIXED_IOVA`, page granular:
  /// 1. bad `ioas` → `ENOENT`;
  /// 2. `length == 0`, or `iova`/`length`/`physicalAddress` not 4 KiB
  ///    aligned → `EINVAL`;
  /// 3. `iova + length - 1` (or the physical end) overflows → `EOVERFLOW`;
  /// 4. overlaps an existing area → `EEXIST`.
  public func ioasMap(ioas ioasID: UInt32, iova: UInt64, length: UInt64, physicalAddress: UInt64) throws(Errno) {
    let ioas = try lookup(ioasID, .ioas, "IOMMU_IOAS_MAP") as! IOAS
    guard length != 0 else { throw Errno.einval("IOMMU_IOAS_MAP: length is 0") }
    guard (iova | length | physicalAddress) & Self.pageMask == 0 else {
      throw Errno.einval(
        "IOMMU_IOAS_MAP: iova 0x\(hex(iova)), length 0x\(hex(length)) or PA 0x\(hex(physicalAddress)) not page aligned")
    }
    guard !iova.addingReportingOverflow(length - 1).overflow,
      !physicalAddress.addingReportingOverflow(length - 1).overflow
    else { throw Errno.eoverflow("IOMMU_IOAS_MAP: iova + length - 1 overflows") }
    let last = iova + (length - 1)
    if let clash = ioas.areas.values.first(where: { $0.iova <= last && iova <= $0.last }) {
      throw Errno.eexist(
        "IOMMU_IOAS_MAP: [0x\(hex(iova)), 0x\(hex(last))] overlaps area [0x\(hex(clash.iova)), 0x\(hex(clash.last))]")
    }
    ioas.areas[iova] = IOAS.Area(iova: iova, length: length, physicalAddress: physicalAddress)
  }

  /// `IOMMU_IOAS_UNMAP`; returns the number of bytes unmapped.
  /// 1. bad `ioas` → `ENOENT`;
  /// 2. `length == 0` or unaligned → `EINVAL`; end overflows → `EOVERFLOW`;
  /// 3. for the areas intersecting the range, in IOVA order
  ///    (`iopt_unmap_iova_range`): an area locked by an internal access (a HW
  ///    queue's pins) → `EBUSY`; an area only partly inside the range →
  ///    `ENOENT`;
  /// 4. no area in the range → `ENOENT`;
  /// 5. areas pinned by external accesses: each access's unmap callback is
  ///    called (`iommufd_access_notify_unmap`); if pins remain, the kernel
  ///    gives up with `WARN` + `-EDEADLOCK` and so does the model (`EDEADLK`).
  ///
  /// Stricter than the kernel: all areas are checked before any is unmapped,
  /// so a failing unmap leaves the IOAS unchanged.
  @discardableResult
  public func ioasUnmap(ioas ioasID: UInt32, iova: UInt64, length: UInt64) throws(Errno) -> UInt64 {
    let ioas = try lookup(ioasID, .ioas, "IOMMU_IOAS_UNMAP") as! IOAS
    guard length != 0 else { throw Errno.einval("IOMMU_IOAS_UNMAP: length is 0") }
    guard (iova | length) & Self.pageMask == 0 else {
      throw Errno.einval("IOMMU_IOAS_UNMAP: iova 0x\(hex(iova)) or length 0x\(hex(length)) not page aligned")
    }
    guard !iova.addingReportingOverflow(length - 1).overflow else {
      throw Errno.eoverflow("IOMMU_IOAS_UNMAP: iova + length - 1 overflows")
    }
    let last = iova + (length - 1)
    let hit = ioas.areas.values.filter { $0.iova <= last && iova <= $0.last }.sorted { $0.iova < $1.iova }
    for area in hit {
      if let locker = lockingAccess(in: ioas, area: area) {
        throw Errno.ebusy(
          "IOMMU_IOAS_UNMAP: area [0x\(hex(area.iova)), 0x\(hex(area.last))] is pinned by \(locker.name)")
      }
      if area.iova < iova || area.last > last {
        throw Errno.enoent(
          "IOMMU_IOAS_UNMAP: area [0x\(hex(area.iova)), 0x\(hex(area.last))] is only partly inside the range")
      }
    }
    guard !hit.isEmpty else {
      throw Errno.enoent("IOMMU_IOAS_UNMAP: nothing mapped in [0x\(hex(iova)), 0x\(hex(last))]")
    }
    for area in hit where ioas.accesses.contains(where: { !$0.isInternal && $0.pins(area) }) {
      notifyUnmap(ioas, iova: area.iova, length: area.length)
    }
    for area in hit {
      if let stuck = ioas.accesses.first(where: { $0.pins(area) }) {
        warn("iopt_unmap_iova_range: \(stuck.name) did not unpin [0x\(hex(area.iova)), 0x\(hex(area.last))]")
        throw Errno.edeadlk(
          "IOMMU_IOAS_UNMAP: \(stuck.name) still pins [0x\(hex(area.iova)), 0x\(hex(area.last))] after its unmap callback")
      }
    }
    var bytes: UInt64 = 0
    for area in hit {
      ioas.areas[area.iova] = nil
      bytes += area.length
    }
    return bytes
  }

  func lockingAccess(in ioas: IOAS, area: IOAS.Area) -> Access? {
    ioas.accesses.first { $0.isInternal && $0.pins(area) }
  }

  /// `iommufd_access_notify_unmap`: calls every external access's unmap
  /// callback on this IOAS, tracking it for the lock-order checker.
  func notifyUnmap(_ ioas: IOAS, iova: UInt64, length: UInt64) {
    for access in ioas.accesses where !access.isInternal && access.state == .live {
      guard let callback = access.unmap else { continue }
      unmapCallbackStack.append(access)
      callback(access, iova, length)
      unmapCallbackStack.removeLast()
    }
  }

  func destroyIOAS(_ ioas: IOAS) {
    if !ioas.accesses.isEmpty {
      warn("IOAS \(ioas.id) destroyed with \(ioas.accesses.count) accesses attached")
    }
    ioas.areas.removeAll()
  }
}

