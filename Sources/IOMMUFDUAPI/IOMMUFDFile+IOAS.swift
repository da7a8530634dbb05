import CCMDQV
import IOMMUFD

extension IOMMUFDFile {
  static let mapFixedIOVA: UInt32 = 1 << 0
  static let mapWriteable: UInt32 = 1 << 1
  static let mapReadable: UInt32 = 1 << 2

  /// `IOMMU_IOAS_ALLOC` (`iommufd_ioas_alloc_ioctl`, ioas.c): `flags != 0` →
  /// `EOPNOTSUPP`.
  func ioasAlloc(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_ioas_alloc.self)
    guard cmd.flags == 0 else { throw Errno.eopnotsupp("IOMMU_IOAS_ALLOC: flags 0x\(String(cmd.flags, radix: 16))") }
    cmd.out_ioas_id = try context.allocIOAS()
    try ucmd.respond(cmd)
  }

  /// `IOMMU_IOAS_MAP` (`iommufd_ioas_map`, ioas.c, v6.17), in the kernel's
  /// order: unknown flags or `__reserved` → `EOPNOTSUPP`; `iova` or `length`
  /// ≥ ULONG_MAX → `EOVERFLOW`; neither READABLE nor WRITEABLE → `EINVAL`;
  /// bad `ioas_id` → `ENOENT`; then the user range is pinned (unmapped →
  /// `EFAULT`; `user_va` not page aligned → `EINVAL`, a model restriction)
  /// and mapped (``IOMMUFDContext/ioasMap(ioas:iova:length:physicalAddress:)``).
  /// Without FIXED_IOVA the lowest free page-aligned IOVA range is chosen and
  /// written back.
  func ioasMap(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_ioas_map.self)
    let known = Self.mapFixedIOVA | Self.mapWriteable | Self.mapReadable
    guard cmd.flags & ~known == 0, cmd.__reserved == 0 else {
      throw Errno.eopnotsupp("IOMMU_IOAS_MAP: flags 0x\(String(cmd.flags, radix: 16)) or __reserved set")
    }
    guard cmd.iova < context.unsignedLongMax, cmd.length < context.unsignedLongMax else {
      throw Errno.eoverflow("IOMMU_IOAS_MAP: iova or length >= ULONG_MAX")
    }
    guard cmd.flags & (Self.mapReadable | Self.mapWriteable) != 0 else {
      throw Errno.einval("IOMMU_IOAS_MAP: neither IOMMU_IOAS_MAP_READABLE nor IOMMU_IOAS_MAP_WRITEABLE")
    }
    guard let ioas = context.object(cmd.ioas_id) as? IOAS else {
      throw Errno.enoent("IOMMU_IOAS_MAP: no IOAS with ID \(cmd.ioas_id)")
    }
    let pageMask = IOAS.pageSize - 1
    guard cmd.length != 0 else { throw Errno.einval("IOMMU_IOAS_MAP: length is 0") }
    guard (cmd.user_va | cmd.length) & pageMask == 0 else {
      throw Errno.einval(
        "IOMMU_IOAS_MAP: user_va 0x\(String(cmd.user_va, radix: 16)) or length 0x\(String(cmd.length, radix: 16)) not page aligned (the model maps whole pages)"
      )
    }
    if cmd.flags & Self.mapFixedIOVA == 0 {
      cmd.iova = try freeIOVA(in: ioas, length: cmd.length)
    }
    let physical = try userMemory.pin(userVA: cmd.user_va, length: cmd.length)
    do {
      try context.ioasMap(ioas: cmd.ioas_id, iova: cmd.iova, length: cmd.length, physicalAddress: physical)
    } catch {
      userMemory.unpin(physicalAddress: physical, length: cmd.length)
      throw error
    }
    userMappings[UserMappingKey(ioas: cmd.ioas_id, iova: cmd.iova)] = (physical, cmd.length)
    try ucmd.respond(cmd)
  }

  /// The lowest page-aligned IOVA with `length` free bytes
  /// (`iopt_alloc_iova`; the model ignores the kernel's alignment heuristics).
  func freeIOVA(in ioas: IOAS, length: UInt64) throws(Errno) -> UInt64 {
    var candidate: UInt64 = 0
    for area in ioas.areas.values.sorted(by: { $0.iova < $1.iova }) {
      if area.iova > candidate, area.iova - candidate >= length { break }
      let (next, overflow) = area.last.addingReportingOverflow(1)
      guard !overflow else { throw Errno.enospc("IOMMU_IOAS_MAP: no free IOVA range of 0x\(String(length, radix: 16))") }
      candidate = max(candidate, next)
    }
    guard !candidate.addingReportingOverflow(length - 1).overflow,
      candidate + (length - 1) <= context.unsignedLongMax
    else { throw Errno.enospc("IOMMU_IOAS_MAP: no free IOVA range of 0x\(String(length, radix: 16))") }
    return candidate
  }

  /// `IOMMU_IOAS_UNMAP` (`iommufd_ioas_unmap`, ioas.c): bad `ioas_id` →
  /// `ENOENT` first; `iova == 0 && length == U64_MAX` unmaps everything
  /// (`ENOENT` when nothing is mapped);
  /// otherwise ``IOMMUFDContext/ioasUnmap(ioas:iova:length:)``. `length` is
  /// written back with the bytes unmapped; user pages no longer mapped are
  /// unpinned.
  func ioasUnmap(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_ioas_unmap.self)
    guard let ioas = context.object(cmd.ioas_id) as? IOAS else {
      throw Errno.enoent("IOMMU_IOAS_UNMAP: no IOAS with ID \(cmd.ioas_id)")
    }
    var unmapped: UInt64 = 0
    if cmd.iova == 0 && cmd.length == .max {
      // iopt_unmap_all → iopt_unmap_iova_range: nothing mapped is ENOENT.
      guard !ioas.areas.isEmpty else { throw Errno.enoent("IOMMU_IOAS_UNMAP: nothing mapped in IOAS \(cmd.ioas_id)") }
      for area in ioas.areas.values.sorted(by: { $0.iova < $1.iova }) {
        unmapped += try context.ioasUnmap(ioas: cmd.ioas_id, iova: area.iova, length: area.length)
        releaseUserMappings(ioas: ioas)
      }
    } else {
      unmapped = try context.ioasUnmap(ioas: cmd.ioas_id, iova: cmd.iova, length: cmd.length)
    }
    releaseUserMappings(ioas: ioas)
    cmd.length = unmapped
    try ucmd.respond(cmd)
  }

  /// Unpins the user ranges whose IOAS area is gone.
  func releaseUserMappings(ioas: IOAS) {
    for (key, value) in userMappings where key.ioas == ioas.id && ioas.areas[key.iova] == nil {
      userMemory.unpin(physicalAddress: value.physicalAddress, length: value.length)
      userMappings[key] = nil
    }
  }

  /// Unpins every user range whose IOAS is gone or no longer maps it.
  func releaseAllUserMappings() {
    for (key, value) in userMappings {
      if let ioas = context.object(key.ioas) as? IOAS, ioas.areas[key.iova] != nil { continue }
      userMemory.unpin(physicalAddress: value.physicalAddress, length: value.length)
      userMappings[key] = nil
    }
  }
}
