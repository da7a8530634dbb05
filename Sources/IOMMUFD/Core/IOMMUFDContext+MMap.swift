extension IOMMUFDContext {
  /// `iommufd_viommu_alloc_mmap(viommu, mmio_addr, length, &offset)`
  /// (`_iommufd_alloc_mmap`), driver-facing: registers an MMIO region user
  /// space may `mmap()`, and returns its offset.
  /// 1. `physicalAddress` not page aligned, `length == 0`, or `length` not
  ///    page aligned → `EINVAL`;
  /// 2. the offset is the lowest free range at or above `PAGE_SIZE`
  ///    (`mtree_alloc_range`), so it is never 0; no room → `ENOSPC`.
  public func allocMMap(viommu: VIOMMU, physicalAddress: UInt64, length: UInt64) throws(Errno) -> UInt64 {
    guard physicalAddress & Self.pageMask == 0, length != 0, length & Self.pageMask == 0 else {
      throw Errno.einval(
        "iommufd_viommu_alloc_mmap: mmio_addr 0x\(hex(physicalAddress)) / length 0x\(hex(length)) not page aligned or 0")
    }
    var candidate = IOAS.pageSize
    for region in mmapRegions.values.sorted(by: { $0.offset < $1.offset }) {
      if region.offset >= candidate, region.offset - candidate >= length { break }
      candidate = max(candidate, region.offset + region.length)
    }
    guard !candidate.addingReportingOverflow(length - 1).overflow else {
      throw Errno.enospc("iommufd_viommu_alloc_mmap: no free offset range of 0x\(hex(length)) bytes")
    }
    mmapRegions[candidate] = MMapRegion(
      offset: candidate, length: length, physicalAddress: physicalAddress, ownerID: viommu.id)
    return candidate
  }

  /// `iommufd_viommu_destroy_mmap(viommu, offset)`: removes the entry (a
  /// live VMA keeps working until it is unmapped). An unknown offset or
  /// another owner's entry is a warning.
  public func destroyMMap(viommu: VIOMMU, offset: UInt64) {
    guard let region = mmapRegions[offset], region.ownerID == viommu.id else {
      warn("iommufd_viommu_destroy_mmap: vIOMMU \(viommu.id) has no mmap at offset 0x\(hex(offset))")
      return
    }
    mmapRegions[offset] = nil
  }

  /// `mmap()` on the iommufd (`iommufd_fops_mmap`), checked in the kernel's
  /// order (`iommufd_fops_mmap`, drivers/iommu/iommufd/main.c, v6.17):
  /// 1. `length` 0 or not page aligned → `EINVAL` (0 and an unaligned
  ///    `offset` are refused by the mm layer before the fops; the model
  ///    folds them in here);
  /// 2. not `MAP_SHARED` → `EINVAL`;
  /// 3. `PROT_EXEC` → `EPERM`;
  /// 4. no entry containing `offset` → `ENXIO`;
  /// 5. `offset`/`length` not exactly the registered region → `ENXIO`.
  ///
  /// The returned mapping holds a `users` reference on the owner until
  /// ``MMapping/munmap()``.
  public func mmap(offset: UInt64, length: UInt64, shared: Bool = true, prot: MMapProtection = [.read, .write])
    throws(Errno) -> MMapping
  {
    guard length != 0, length & Self.pageMask == 0 else {
      throw Errno.einval("mmap: length 0x\(hex(length)) is 0 or not page aligned")
    }
    guard offset & Self.pageMask == 0 else { throw Errno.einval("mmap: offset 0x\(hex(offset)) not page aligned") }
    guard shared else { throw Errno.einval("mmap: iommufd mappings must be MAP_SHARED") }
    guard !prot.contains(.exec) else { throw Errno.eperm("mmap: PROT_EXEC (VM_EXEC) is not allowed") }
    guard
      let region = mmapRegions.values.first(where: {
        offset >= $0.offset && offset - $0.offset < $0.length
      })
    else { throw Errno.enxio("mmap: no region registered at offset 0x\(hex(offset))") }
    guard region.offset == offset, region.length == length else {
      throw Errno.enxio(
        "mmap: [0x\(hex(offset)), +0x\(hex(length))) is not the registered region [0x\(hex(region.offset)), +0x\(hex(region.length)))"
      )
    }
    guard let owner = object(region.ownerID) else {
      throw Errno.enxio("mmap: the owner of offset 0x\(hex(offset)) is gone")
    }
    owner.users += 1
    let mapping = MMapping(region: region, owner: owner, context: self)
    mappings.append(mapping)
    return mapping
  }

  /// `iommufd_fops_vma_close`: drops the owner reference.
  func mappingClosed(_ mapping: MMapping) {
    mapping.owner.users -= 1
    mappings.removeAll { $0 === mapping }
  }
}
