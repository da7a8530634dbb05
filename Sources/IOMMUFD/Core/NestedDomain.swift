/// A driver's nested `struct iommu_domain`, returned by
/// ``VIOMMUOps/allocDomainNested(_:flags:data:)`` and owned by a
/// ``HWPTNested``.
///
/// Contract (`struct iommu_domain_ops`, include/linux/iommu.h, v6.17):
/// ``attach(_:to:)`` is the domain's `attach_dev`; it throws the driver's
/// errno and leaves everything unchanged on failure (the core then keeps the
/// old attachment). It returns the STE an SMMUv3 driver would install, or
/// `nil` for an IOMMU that has no STE (the selftest mock).
/// ``cacheInvalidateUser(_:array:)`` is `cache_invalidate_user`: optional
/// (``supportsCacheInvalidateUser`` `false` models a NULL op, so
/// `IOMMU_HWPT_INVALIDATE` on the HWPT is `EOPNOTSUPP`); like
/// ``VIOMMUOps/cacheInvalidate(_:array:)`` it checks the `data_type` itself
/// and sets `array.entryNum` to the entries it handled, also when it throws.
public protocol NestedDomain: AnyObject {
  /// `domain->ops->attach_dev(domain, dev)`.
  func attach(_ device: IOMMUFDDevice, to hwpt: HWPTNested) throws(Errno) -> PhysicalSTE?

  /// `false` models a NULL `domain->ops->cache_invalidate_user`.
  var supportsCacheInvalidateUser: Bool { get }
  /// `domain->ops->cache_invalidate_user(domain, array)`.
  func cacheInvalidateUser(_ hwpt: HWPTNested, array: inout UserDataArray) throws(Errno)
}

extension NestedDomain {
  public var supportsCacheInvalidateUser: Bool { false }
  public func cacheInvalidateUser(_ hwpt: HWPTNested, array: inout UserDataArray) throws(Errno) {
    array.entryNum = 0
    throw Errno.eopnotsupp("cache_invalidate_user not implemented")
  }
}
