import CCMDQV
import IOMMUFD

extension IOMMUFDFile {
  /// `IOMMU_TEST_CMD` (`iommufd_test`, drivers/iommu/iommufd/selftest.c,
  /// v6.17), only in a file opened with ``selftest``. Each op is the
  /// context's `test…` method (Docs/Driver.md, "Selftest mock driver"),
  /// which needs a `SelftestIOMMUDriver` among the context's drivers
  /// (`ENOTTY` otherwise):
  /// - MOCK_DOMAIN (2) and MOCK_DOMAIN_FLAGS (12, `dev_flags`) on `id`:
  ///   `out_stdev_id`, `out_hwpt_id`, `out_idev_id` written back;
  /// - SET_TEMP_MEMORY_LIMIT (9): `limit`;
  /// - MOCK_DOMAIN_REPLACE (10): `id` the stdev, `pt_id` written back;
  /// - MD_CHECK_IOTLB (14): `id` the nested HWPT, `check_iotlb.{id,iotlb}`;
  /// - TRIGGER_IOPF (15): `trigger_iopf.{dev_id,pasid,grpid,perm,addr}`;
  /// - DEV_CHECK_CACHE (16): `id` the device, `check_dev_cache.{id,cache}`;
  /// - TRIGGER_VEVENT (17): `trigger_vevent.dev_id`.
  ///
  /// Every other op → `EOPNOTSUPP` (the kernel's answer to an op it does
  /// not know; the model does not implement the IOAS/access ops).
  func testCommand(_ ucmd: UCmd) throws(Errno) {
    var cmd = ucmd.load(iommu_test_cmd.self)
    switch IOMMUTest.Op(rawValue: cmd.op) {
    case .mockDomain, .mockDomainFlags:
      let flags = cmd.op == IOMMUTest.Op.mockDomainFlags.rawValue ? cmd.mock_domain_flags.dev_flags : 0
      let mock = try context.testMockDomain(pt: cmd.id, deviceFlags: IOMMUTest.DeviceFlags(rawValue: flags))
      cmd.mock_domain.out_stdev_id = mock.stdevID
      cmd.mock_domain.out_hwpt_id = mock.hwptID
      cmd.mock_domain.out_idev_id = mock.idevID
    case .setTempMemoryLimit:
      try context.testSetTempMemoryLimit(cmd.memory_limit.limit)
    case .mockDomainReplace:
      cmd.mock_domain_replace.pt_id = try context.testMockDomainReplace(stdev: cmd.id, pt: cmd.mock_domain_replace.pt_id)
    case .mdCheckIOTLB:
      try context.testCheckIOTLB(hwpt: cmd.id, iotlbID: cmd.check_iotlb.id, expected: cmd.check_iotlb.iotlb)
    case .triggerIOPF:
      let t = cmd.trigger_iopf
      try context.testTriggerIOPF(device: t.dev_id, pasid: t.pasid, grpid: t.grpid, perm: t.perm, addr: t.addr)
    case .devCheckCache:
      try context.testCheckDevCache(device: cmd.id, cacheID: cmd.check_dev_cache.id, expected: cmd.check_dev_cache.cache)
    case .triggerVEvent:
      try context.testTriggerVEvent(device: cmd.trigger_vevent.dev_id)
    default:
      throw Errno.eopnotsupp("IOMMU_TEST_CMD: op \(cmd.op) is not modelled")
    }
    try ucmd.respond(cmd)
  }
}
