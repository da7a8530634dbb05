import CMDQVRegisters

/// `struct iommufd_viommu_ops`: what a driver provides per vIOMMU, set as
/// `viommu.ops` by ``IOMMUDriver/viommuInit(_:userData:)``.
///
/// Optional kernel ops are modelled by capability properties with defaults
/// (a C function pointer that is NULL ↔ `supports… == false`).
///
/// Contract (`struct iommufd_viommu_ops` kdoc, include/linux/iommufd.h, and
/// drivers/iommu/iommufd/viommu.c, v6.17):
/// - ``destroy(_:)`` undoes every driver part of the vIOMMU (e.g. destroy its
///   mmap); the core then drops the HWPT reference.
/// - ``cacheInvalidate(_:array:)`` checks the array's `data_type` itself
///   (through the copy helpers of ``UserDataArray``) and sets
///   `array.entryNum` to the number of entries it handled, including when it
///   throws; whatever it leaves there is written back to the user.
/// - ``vdeviceSize`` 0 means "the core vDEVICE"; non-zero requires
///   ``supportsVDeviceInit`` and must be ≥ ``VDevice/coreStructSize``.
///   ``vdeviceInit(_:)`` sets `vdev.destroy` if there is something to undo.
/// - ``hwQueueSize(_:type:)`` returns 0 for an unsupported type.
///   ``hwQueueInitPhys(_:index:basePhysicalAddress:)`` may call
///   ``IOMMUFDContext/depend(_:on:)`` and sets `queue.destroy`, which must
///   undo the dependency (``IOMMUFDContext/undepend(_:on:)``).
public protocol VIOMMUOps: AnyObject {
  /// `ops->destroy`.
  func destroy(_ viommu: VIOMMU)

  /// `false` models a NULL `alloc_domain_nested`.
  var supportsNestedDomains: Bool { get }
  /// `ops->alloc_domain_nested(viommu, flags, user_data)`: `flags` without
  /// `IOMMU_HWPT_FAULT_ID_VALID` (the core strips it); `data` is never empty
  /// (the core refuses that first).
  func allocDomainNested(_ viommu: VIOMMU, flags: HWPTAllocFlags, data: HWPTUserData) throws(Errno)
    -> any NestedDomain

  /// `false` models a NULL `cache_invalidate`.
  var supportsCacheInvalidate: Bool { get }
  /// `ops->cache_invalidate(viommu, array)`: `array` is the user's entry
  /// array exactly as `IOMMU_HWPT_INVALIDATE` passed it (any `data_type`,
  /// `entry_len`, `entry_num`, possibly no data).
  func cacheInvalidate(_ viommu: VIOMMU, array: inout UserDataArray) throws(Errno)

  /// `ops->vdevice_size` (0 = core vDEVICE).
  var vdeviceSize: Int { get }
  /// `false` models a NULL `vdevice_init`.
  var supportsVDeviceInit: Bool { get }
  /// `ops->vdevice_init(vdev)`.
  func vdeviceInit(_ vdevice: VDevice) throws(Errno)

  /// `false` models NULL `get_hw_queue_size`/`hw_queue_init_phys`.
  var supportsHWQueues: Bool { get }
  /// `ops->get_hw_queue_size(viommu, type)`: 0 = unsupported.
  func hwQueueSize(_ viommu: VIOMMU, type: UInt32) -> Int
  /// `ops->hw_queue_init_phys(hw_queue, index, base_addr_pa)`.
  func hwQueueInitPhys(_ queue: HWQueue, index: UInt32, basePhysicalAddress: UInt64) throws(Errno)
}

extension VIOMMUOps {
  public var supportsNestedDomains: Bool { false }
  public func allocDomainNested(_ viommu: VIOMMU, flags: HWPTAllocFlags, data: HWPTUserData) throws(Errno)
    -> any NestedDomain
  {
    throw Errno.eopnotsupp("alloc_domain_nested not implemented")
  }
  public var supportsCacheInvalidate: Bool { false }
  public func cacheInvalidate(_ viommu: VIOMMU, array: inout UserDataArray) throws(Errno) {
    array.entryNum = 0
    throw Errno.eopnotsupp("cache_invalidate not implemented")
  }
  public var vdeviceSize: Int { 0 }
  public var supportsVDeviceInit: Bool { false }
  public func vdeviceInit(_ vdevice: VDevice) throws(Errno) {}
  public var supportsHWQueues: Bool { false }
  public func hwQueueSize(_ viommu: VIOMMU, type: UInt32) -> Int { 0 }
  public func hwQueueInitPhys(_ queue: HWQueue, index: UInt32, basePhysicalAddress: UInt64) throws(Errno) {
    throw Errno.eopnotsupp("hw_queue_init_phys not implemented")
  }
}
