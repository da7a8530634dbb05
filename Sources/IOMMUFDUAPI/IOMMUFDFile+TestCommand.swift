import CCMDQV
import IOMMUFD

extension IOMMUFDFile {
  /// `IOMMU_TEST_CMD` (`iommufd_test`, drivers/iommu/iommufd/selftest.c,
  /// v6.17), only in a file opened with ``selftest``. Ops the model runs:
  /// - SET_TEMP_MEMORY_LIMIT (9): `limit < 12` → `EINVAL`; otherwise
  ///   accepted (the model has no page limit to lower).
  ///
  /// Every other op → `EOPNOTSUPP` (the kernel's answer to an unknown op).
  func testCommand(_ ucmd: UCmd) throws(Errno) {
    let cmd = ucmd.load(iommu_test_cmd.self)
    switch cmd.op {
    case 9:
      guard cmd.memory_limit.limit >= 12 else {
        throw Errno.einval("IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT: limit \(cmd.memory_limit.limit) < 12")
      }
    default:
      throw Errno.eopnotsupp("IOMMU_TEST_CMD: op \(cmd.op) is not modelled")
    }
  }
}
