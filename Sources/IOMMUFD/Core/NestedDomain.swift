/// A driver's nested `struct iommu_domain`, returned by
/// ``VIOMMUOps/allocDomainNested(_:flags:data:)`` and owned by a
/// ``HWPTNested``.
///
/// Contract (`struct iommu_domain_ops`, include/linux/iommu.h, v6.17):
/// ``attach(_:to:)`` is the domain's `attach_dev`; it throws the driver's
/// errno and leaves everything unchanged on failure (the core then keeps the
/// old attachment). It returns the STE an SMMUv3 driver would install, or
/// `nil` for an IOMMU that has no STE (the selftest mock).
public protocol NestedDomain: AnyObject {
  /// `domain->ops->attach_dev(domain, dev)`.
  func attach(_ device: IOMMUFDDevice, to hwpt: HWPTNested) throws(Errno) -> PhysicalSTE?
}
