/// The `IOMMU_TEST_CMD` ops (`iommufd_test`, drivers/iommu/iommufd/
/// selftest.c, v6.17) that the kernel's vIOMMU selftests use, one method per
/// op (``IOMMUTest/Op``). They need a ``SelftestIOMMUDriver`` among the
/// context's drivers; without one every op is `ENOTTY` (a kernel without
/// CONFIG_IOMMUFD_TEST has no `IOMMU_TEST_CMD`).
extension IOMMUFDContext {
  /// The mock IOMMU, or `ENOTTY`.
  func selftestDriver(_ what: String) throws(Errno) -> SelftestIOMMUDriver {
    guard let driver = drivers.lazy.compactMap({ $0 as? SelftestIOMMUDriver }).first else {
      throw Errno.enotty("\(what): no SelftestIOMMUDriver in this context (kernel without CONFIG_IOMMUFD_TEST)")
    }
    return driver
  }

  /// `IOMMU_TEST_OP_MOCK_DOMAIN` (2), or `IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS`
  /// (12) with `deviceFlags` (`iommufd_test_mock_domain`), in the kernel's
  /// order:
  /// 1. the SELFTEST object is allocated (its ID is `stdev_id`);
  /// 2. the mock device is created: `deviceFlags` outside NO_DIRTY |
  ///    HUGE_IOVA | PASID → `EINVAL`;
  /// 3. it is bound (`iommufd_device_bind`: a DEVICE, `idev_id`; the
  ///    SELFTEST object holds a reference on it);
  /// 4. it is attached to `pt` (`iommufd_device_attach`): an IOAS gives its
  ///    auto-domain HWPT (`hwpt_id`), a HWPT is attached as is; no object →
  ///    `ENOENT`, other errors as ``attachDevice(_:pt:)``.
  ///
  /// A failure unwinds every step: no object, ID or mock device is left.
  /// With a fresh fd and IOAS 1 the IDs are stdev 2, idev 3, HWPT 4.
  public func testMockDomain(pt ptID: UInt32, deviceFlags: IOMMUTest.DeviceFlags = []) throws(Errno)
    -> SelftestMockDomain
  {
    let what = "IOMMU_TEST_OP_MOCK_DOMAIN"
    let driver = try selftestDriver(what)
    // The object is allocated before the device exists; the placeholder
    // fields are set before anything can see it (it stays reserved).
    let mock: SelftestMockDevice
    let stdevID = try reserveSelftestID()
    do {
      mock = try driver.createMockDevice(flags: deviceFlags)
    } catch {
      slots[stdevID] = nil
      throw error
    }
    let device: IOMMUFDDevice
    do {
      device = try bind(driver: driver, streamIDs: [mock.streamID])
    } catch {
      driver.destroyMockDevice(mock)
      slots[stdevID] = nil
      throw error
    }
    device.users += 1
    let hwptID: UInt32
    do {
      hwptID = try attachDevice(device.id, pt: ptID)
    } catch {
      device.users -= 1
      try? removeObject(id: device.id, tombstone: false, what: what)
      driver.destroyMockDevice(mock)
      slots[stdevID] = nil
      throw error
    }
    let object = SelftestObject(device: device, mockDevice: mock, driver: driver)
    object.id = stdevID
    object.context = self
    object.users = 1
    slots[stdevID] = .reserved(object)
    finalize(object)
    return SelftestMockDomain(stdevID: stdevID, hwptID: hwptID, idevID: device.id)
  }

  /// `_iommufd_object_alloc` for the SELFTEST object before its fields
  /// exist: reserves the ID with a placeholder.
  private func reserveSelftestID() throws(Errno) -> UInt32 {
    let placeholder = IOMMUFDObject(type: .selftest)
    try allocateObject(placeholder)
    return placeholder.id
  }

  /// `iommufd_test_get_selftest_obj`: `ENOENT` unless `id` is a SELFTEST
  /// object.
  func selftestObject(_ id: UInt32, _ what: String) throws(Errno) -> SelftestObject {
    guard let object = try lookup(id, .selftest, what) as? SelftestObject else {
      throw Errno.einval("\(what): object \(id) is not a mock device")
    }
    return object
  }

  /// `IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE` (10,
  /// `iommufd_test_mock_domain_replace`): `stdev` not a SELFTEST object →
  /// `ENOENT`; then `iommufd_device_replace` of its device with `pt` (errors
  /// as ``replaceDevice(_:pt:)``, e.g. `ENOENT` for a nested HWPT on a
  /// vIOMMU where the device has no vDEVICE). Returns `pt_id` as written
  /// back (the auto-domain HWPT for an IOAS).
  @discardableResult
  public func testMockDomainReplace(stdev stdevID: UInt32, pt ptID: UInt32) throws(Errno) -> UInt32 {
    let what = "IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE"
    _ = try selftestDriver(what)
    let object = try selftestObject(stdevID, what)
    lockObject(object)
    defer { putObject(object) }
    return try replaceDevice(object.device.id, pt: ptID)
  }

  /// `IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT` (9): `limit` below
  /// `sizeof(unsigned long) + sizeof(u32)` (12 on a 64-bit kernel) →
  /// `EINVAL`. The limit only sizes the kernel's page batches, which this
  /// model does not have; it is recorded in ``testMemoryLimit``.
  public func testSetTempMemoryLimit(_ limit: UInt32) throws(Errno) {
    let what = "IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT"
    let driver = try selftestDriver(what)
    let minimum: UInt32 = unsignedLongMax == UInt64.max ? 12 : 8
    guard limit >= minimum else { throw Errno.einval("\(what): limit \(limit) < \(minimum)") }
    driver.memoryLimit = limit
  }

  /// The last `SET_TEMP_MEMORY_LIMIT` (`iommufd_test_memory_limit`), `nil`
  /// without a mock IOMMU.
  public var testMemoryLimit: UInt32? {
    drivers.lazy.compactMap { $0 as? SelftestIOMMUDriver }.first?.memoryLimit
  }

  /// `IOMMU_TEST_OP_MD_CHECK_IOTLB` (14, `iommufd_test_md_check_iotlb`):
  /// `hwpt` not a HWPT_NESTED → `ENOENT`; not a mock nested domain →
  /// `EINVAL`; `iotlbID > 3` or `iotlb[iotlbID] != expected` → `EINVAL`.
  public func testCheckIOTLB(hwpt hwptID: UInt32, iotlbID: UInt32, expected: UInt32) throws(Errno) {
    let what = "IOMMU_TEST_OP_MD_CHECK_IOTLB"
    _ = try selftestDriver(what)
    let hwpt = try lookup(hwptID, .hwptNested, what) as! HWPTNested
    guard let domain = hwpt.domain as? SelftestNestedDomain else {
      throw Errno.einval("\(what): \(hwpt.label) is not a mock nested domain")
    }
    guard iotlbID < UInt32(IOMMUTest.nestedIOTLBCount) else {
      throw Errno.einval("\(what): iotlb id \(iotlbID) > 3")
    }
    let value = domain.iotlb[Int(iotlbID)]
    guard value == expected else {
      throw Errno.einval("\(what): \(hwpt.label) iotlb[\(iotlbID)] is 0x\(hex(UInt64(value))), expected 0x\(hex(UInt64(expected)))")
    }
  }

  /// `IOMMU_TEST_OP_DEV_CHECK_CACHE` (16, `iommufd_test_dev_check_cache`):
  /// `device` not a DEVICE → `ENOENT`; `cacheID > 3` or
  /// `cache[cacheID] != expected` → `EINVAL`. (A device that is not a mock
  /// device is `EINVAL` here; the kernel assumes a mock device.)
  public func testCheckDevCache(device deviceID: UInt32, cacheID: UInt32, expected: UInt32) throws(Errno) {
    let what = "IOMMU_TEST_OP_DEV_CHECK_CACHE"
    let driver = try selftestDriver(what)
    let device = try lookup(deviceID, .device, what) as! IOMMUFDDevice
    guard let mock = driver.mockDevice(of: device) else {
      throw Errno.einval("\(what): device \(deviceID) is not a mock device")
    }
    guard cacheID < UInt32(IOMMUTest.deviceCacheCount) else {
      throw Errno.einval("\(what): cache id \(cacheID) > 3")
    }
    guard mock.cache[Int(cacheID)] == expected else {
      throw Errno.einval(
        "\(what): device \(deviceID) cache[\(cacheID)] is 0x\(hex(UInt64(mock.cache[Int(cacheID)]))), expected 0x\(hex(UInt64(expected)))"
      )
    }
  }

  /// `IOMMU_TEST_OP_TRIGGER_VEVENT` (17, `iommufd_test_trigger_vevent`):
  /// `device` not a DEVICE → `ENOENT`; not attached to a nested domain of a
  /// mock vIOMMU, or its `vdev_id` is 0 → `ENOENT`; then
  /// `iommufd_viommu_report_event` with type ``IOMMUTest/veventqType`` and
  /// `struct iommu_viommu_event_selftest { __u32 virt_id; }` (no vEVENTQ of
  /// that type → `EOPNOTSUPP`; a full queue is success with a lost event).
  /// (A device that is not a mock device is `EINVAL` here.)
  public func testTriggerVEvent(device deviceID: UInt32) throws(Errno) {
    let what = "IOMMU_TEST_OP_TRIGGER_VEVENT"
    let driver = try selftestDriver(what)
    let device = try lookup(deviceID, .device, what) as! IOMMUFDDevice
    lockObject(device)
    defer { putObject(device) }
    guard let mock = driver.mockDevice(of: device) else {
      throw Errno.einval("\(what): device \(deviceID) is not a mock device")
    }
    guard let viommu = mock.viommu, mock.vdevID != 0 else {
      throw Errno.enoent("\(what): device \(deviceID) is not attached to a nested HWPT of a mock vIOMMU with a vDEVICE")
    }
    let virtID = UInt32(truncatingIfNeeded: mock.vdevID)
    try reportEvent(
      viommu: viommu.viommu, type: IOMMUTest.veventqType,
      data: (0..<4).map { UInt8(truncatingIfNeeded: virtID >> UInt32(8 * $0)) })
  }

  /// `iommufd_selftest_destroy` (`TYPE_IDEV`): detach, unbind (the device's
  /// vDEVICE is tombstoned), delete the mock device.
  func destroySelftestObject(_ object: SelftestObject) {
    let device = object.device
    detach(device)
    device.users -= 1
    do {
      try removeObject(id: device.id, tombstone: false, what: "iommufd_device_unbind")
    } catch {
      warn("iommufd_selftest_destroy: \(error)")
    }
    object.driver.destroyMockDevice(object.mockDevice)
  }
}

extension IOMMUFDContext {
  /// `IOMMU_TEST_OP_TRIGGER_IOPF` (15, `iommufd_test_trigger_iopf`):
  /// `device` not a DEVICE → `ENOENT`; then the fault
  /// `PageFault.selftest(pasid:grpid:perm:addr:)` (LAST_PAGE, plus
  /// PASID_VALID when `pasid` is not 0) is reported for the device
  /// (``reportPageFault(device:_:)``). A fault no handler takes is answered
  /// INVALID, and the op still succeeds. Returns where the fault went.
  @discardableResult
  public func testTriggerIOPF(device deviceID: UInt32, pasid: UInt32, grpid: UInt32, perm: UInt32, addr: UInt64)
    throws(Errno) -> PageFaultOutcome
  {
    _ = try selftestDriver("IOMMU_TEST_OP_TRIGGER_IOPF")
    return try reportPageFault(device: deviceID, .selftest(pasid: pasid, grpid: grpid, perm: perm, addr: addr))
  }
}
