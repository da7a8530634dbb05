import CMDQVModel
import IOMMUFD
import IOMMUFDUAPI

extension CMDQVSystem {
  /// Opens `/dev/iommu` on this system at byte level: an ``IOMMUFDFile``
  /// over ``context`` whose `IOMMU_IOAS_MAP` pins the caller's own memory
  /// into the model (``ModelUserMemory``). `IOMMU_TEST_CMD` is in its
  /// table when the system was built with `selftest` (CONFIG_IOMMUFD_TEST).
  public func openIOMMUFD(descriptors: any DescriptorSource = NumberedDescriptors()) -> IOMMUFDFile {
    IOMMUFDFile(
      context: context, userMemory: userMemory, descriptors: descriptors,
      selftest: context.drivers.contains { $0 is SelftestIOMMUDriver })
  }
}
