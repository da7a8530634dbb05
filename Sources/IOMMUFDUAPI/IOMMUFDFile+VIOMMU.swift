import CCMDQV
import IOMMUFD

extension IOMMUFDFile {
  /// `IOMMU_VIOMMU_ALLOC` (`iommufd_viommu_alloc_ioctl`, viommu.c, v6.17):
  /// ``IOMMUFDContext/allocVIOMMU(device:hwpt:type:data:flags:)`` with the
  /// `data_len` bytes at `data_uptr` (`__reserved` is not checked, as in the
  /// kernel); the driver's output (Tegra241: `out_vintf_mmap_offset`/
  /// `out_vintf_mmap_length`) is copied back to `data_uptr`, at most
  /// `data_len` bytes.
  func viommuAlloc(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_viommu_alloc.self)
    let data = try driverData(cmd.data_uptr, cmd.data_len, "IOMMU_VIOMMU_ALLOC")
    let allocation = try context.allocVIOMMU(
      device: cmd.dev_id, hwpt: cmd.hwpt_id, type: cmd.type, data: data, flags: cmd.flags)
    if !allocation.data.isEmpty {
      do {
        try UserPointer.write(
          Array(allocation.data.prefix(Int(cmd.data_len))), to: cmd.data_uptr, "IOMMU_VIOMMU_ALLOC: data_uptr")
      } catch {
        try? context.destroy(allocation.id)
        throw error
      }
    }
    cmd.out_viommu_id = allocation.id
    try ucmd.respond(cmd)
  }

  /// `IOMMU_VDEVICE_ALLOC` (`iommufd_vdevice_alloc_ioctl`, viommu.c):
  /// ``IOMMUFDContext/allocVDevice(viommu:device:virtID:)``.
  func vdeviceAlloc(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_vdevice_alloc.self)
    cmd.out_vdevice_id = try context.allocVDevice(viommu: cmd.viommu_id, device: cmd.dev_id, virtID: cmd.virt_id)
    try ucmd.respond(cmd)
  }

  /// `IOMMU_HW_QUEUE_ALLOC` (`iommufd_hw_queue_alloc_ioctl`, viommu.c):
  /// ``IOMMUFDContext/allocHWQueue(viommu:type:index:nestingParentIOVA:length:flags:)``.
  func hwQueueAlloc(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_hw_queue_alloc.self)
    cmd.out_hw_queue_id = try context.allocHWQueue(
      viommu: cmd.viommu_id, type: cmd.type, index: cmd.index, nestingParentIOVA: cmd.nesting_parent_iova,
      length: cmd.length, flags: cmd.flags)
    try ucmd.respond(cmd)
  }

  /// `mmap(2)` on the iommufd (`iommufd_fops_mmap`, main.c, v6.17):
  /// ``IOMMUFDContext/mmap(offset:length:shared:prot:)``. `prot` and `flags`
  /// are the mmap(2) bits (PROT_EXEC = 4, MAP_SHARED = 1).
  public func mmap(length: UInt64, prot: Int32, flags: Int32, offset: UInt64) throws(Errno) -> MMapping {
    var protection: MMapProtection = []
    if prot & 1 != 0 { protection.insert(.read) }
    if prot & 2 != 0 { protection.insert(.write) }
    if prot & 4 != 0 { protection.insert(.exec) }
    do {
      let mapping = try context.mmap(offset: offset, length: length, shared: flags & 1 != 0, prot: protection)
      lastError = nil
      return mapping
    } catch {
      lastError = error
      throw error
    }
  }
}
