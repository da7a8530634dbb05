import CCMDQV
import IOMMUFD

extension IOMMUFDFile {
  /// `IOMMU_TEST_CMD` (`iommufd_test`, drivers/iommu/iommufd/selftest.c,
  /// v6.17), only in a file opened with ``selftest``. Ops the model runs:
  /// - MOCK_DOMAIN (2): a device for the test, attached to `id` (an IOAS
  ///   or a HWPT): bound with the next StreamID from ``mockStreamIDBase``
  ///   the file has not used, then attached (`ENOENT` for a bad `id`; on
  ///   failure it is unbound again). The model has no selftest object, so
  ///   `out_stdev_id` is the device ID too (`out_idev_id`), and the device
  ///   sits on the system's real IOMMU, not on a mock one;
  /// - SET_TEMP_MEMORY_LIMIT (9): `limit < 12` → `EINVAL`; otherwise
  ///   accepted (the model has no page limit to lower).
  ///
  /// Every other op → `EOPNOTSUPP` (the kernel's answer to an unknown op).
  func testCommand(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_test_cmd.self)
    switch cmd.op {
    case 2:
      var sid = mockStreamIDBase + mockDevices
      while context.objects(of: IOMMUFDDevice.self).contains(where: { $0.streamIDs.contains(sid) }) { sid += 1 }
      let device = try context.bindDevice(streamIDs: [sid])
      let hwpt: UInt32
      do {
        hwpt = try context.attachDevice(device, pt: cmd.id)
      } catch {
        try? context.unbindDevice(device)
        throw error
      }
      mockDevices = sid - mockStreamIDBase + 1
      cmd.mock_domain.out_stdev_id = device
      cmd.mock_domain.out_hwpt_id = hwpt
      cmd.mock_domain.out_idev_id = device
      ucmd.respond(cmd)
    case 9:
      guard cmd.memory_limit.limit >= 12 else {
        throw Errno.einval("IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT: limit \(cmd.memory_limit.limit) < 12")
      }
    default:
      throw Errno.eopnotsupp("IOMMU_TEST_CMD: op \(cmd.op) is not modelled")
    }
  }
}
