import CMDQVModel
import IOMMUFD
import IOMMUFDUAPI

extension CMDQVSystem {
  /// Opens `/dev/iommu` on this system at byte level: an ``IOMMUFDFile``
  /// over ``context`` whose `IOMMU_IOAS_MAP` pins the caller's own memory
  /// into the model (``ModelUserMemory``). `selftest` adds `IOMMU_TEST_CMD`.
  public func openIOMMUFD(
    descriptors: any DescriptorSource = NumberedDescriptors(), selftest: Bool = false
  ) -> IOMMUFDFile {
    IOMMUFDFile(
      context: context, userMemory: userMemory, descriptors: descriptors, selftest: selftest)
  }
}
