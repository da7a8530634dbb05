/// The kernel selftest's mock IOMMU (`mock_ops`, drivers/iommu/iommufd/
/// selftest.c, v6.17) as a driver beside Tegra241: the IOMMU behind the mock
/// devices `IOMMU_TEST_OP_MOCK_DOMAIN` creates, with the mock's vIOMMU
/// (``IOMMUTest/viommuType``), HW queue (``IOMMUTest/hwQueueType``) and
/// nested domain (``IOMMUTest/hwptDataType``).
///
/// Put one in an ``IOMMUFDContext``'s drivers to enable the `IOMMU_TEST_CMD`
/// ops (`testMockDomain(pt:deviceFlags:)`, …); without one they fail with
/// `ENOTTY`, as on a kernel built without CONFIG_IOMMUFD_TEST. The driver
/// owns exactly the StreamIDs of its live mock devices (a mock device's
/// StreamID is its `mock_dev_ida` number), so it can sit next to an SMMU.
public final class SelftestIOMMUDriver: IOMMUDriver {
  public let name: String
  public let vmids = VMIDAllocator(bits: 16)
  /// Where the pages of the mock vIOMMUs' mmaps come from: the stand-in for
  /// `__get_free_pages` memory (`__pa(mock_viommu->page)`), two pages per
  /// vIOMMU allocated with data.
  public let pageBase: UInt64

  /// Live mock devices by `mdev->id`.
  public private(set) var mockDevices: [Int: SelftestMockDevice] = [:]
  /// `iommufd_test_memory_limit` (`IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT`).
  public internal(set) var memoryLimit: UInt32 = IOMMUTest.defaultMemoryLimit
  /// Mock vIOMMU pages by physical address (2 pages each).
  var pageOwners: [UInt64: SelftestVIOMMU] = [:]

  /// `sizeof(struct mock_viommu)` in this model (`VIOMMU_STRUCT_SIZE`).
  public static let viommuStructSize = VIOMMU.coreStructSize + 64
  /// `sizeof(struct mock_hw_queue)` in this model (`HW_QUEUE_STRUCT_SIZE`).
  public static let hwQueueStructSize = HWQueue.coreStructSize + 16

  public init(name: String = "iommufd_selftest_iommu", pageBase: UInt64 = 0x7_0000_0000) {
    precondition(pageBase & (IOAS.pageSize - 1) == 0, "pageBase must be page aligned")
    self.name = name
    self.pageBase = pageBase
  }

  /// `mock_probe_device`: only devices on the mock bus.
  public func ownsStreamID(_ streamID: UInt32) -> Bool { mockDevices[Int(streamID)] != nil }

  /// The mock device behind a bound device, if it is one of this driver's.
  public func mockDevice(of device: IOMMUFDDevice) -> SelftestMockDevice? {
    guard device.driver === self, let sid = device.streamIDs.first else { return nil }
    return mockDevices[Int(sid)]
  }

  /// `mock_dev_create(dev_flags)`: flags outside
  /// ``IOMMUTest/DeviceFlags/valid`` → `EINVAL`; the ID is the lowest free
  /// `mock_dev_ida` number.
  func createMockDevice(flags: IOMMUTest.DeviceFlags) throws(Errno) -> SelftestMockDevice {
    guard flags.isSubset(of: .valid) else {
      throw Errno.einval(
        "mock_dev_create: dev_flags 0x\(hex(UInt64(flags.rawValue))) outside NO_DIRTY | HUGE_IOVA | PASID")
    }
    var id = 0
    while mockDevices[id] != nil { id += 1 }
    let device = SelftestMockDevice(id: id, flags: flags)
    mockDevices[id] = device
    return device
  }

  /// `mock_dev_destroy`: the ID goes back to `mock_dev_ida`.
  func destroyMockDevice(_ device: SelftestMockDevice) {
    if mockDevices[device.id] === device { mockDevices[device.id] = nil }
  }

  /// `mock_domain_hw_info`: the default or SELFTEST type gives
  /// `struct iommu_test_hw_info { __u32 flags; __u32 test_reg; }` with
  /// `test_reg` = ``IOMMUTest/hwInfoRegisterValue``; any other type →
  /// `EOPNOTSUPP`. `out_capabilities` has DIRTY_TRACKING unless the device
  /// is NO_DIRTY (`iommufd_get_hw_info` asks `mock_domain_capable`).
  public func hwInfo(device: IOMMUFDDevice, type: UInt32) throws(Errno) -> HWInfo {
    guard type == 0 || type == IOMMUTest.hwInfoType else {
      throw Errno.eopnotsupp("mock_domain_hw_info: type 0x\(hex(UInt64(type))) is not DEFAULT or SELFTEST")
    }
    var data: [UInt8] = [0, 0, 0, 0]
    data += (0..<4).map { UInt8(truncatingIfNeeded: IOMMUTest.hwInfoRegisterValue >> (8 * UInt32($0))) }
    return HWInfo(
      type: IOMMUTest.hwInfoType, data: data, capabilities: supportsDirtyTracking(device: device) ? 1 : 0)
  }

  /// `mock_domain_capable(dev, IOMMU_CAP_DIRTY_TRACKING)`.
  public func supportsDirtyTracking(device: IOMMUFDDevice) -> Bool {
    !(mockDevice(of: device)?.flags.contains(.noDirty) ?? true)
  }

  /// `mock_domain_alloc_paging_flags`: user data → `EOPNOTSUPP`; flags
  /// outside DIRTY_TRACKING | NEST_PARENT | PASID, or DIRTY_TRACKING on a
  /// NO_DIRTY device → `EOPNOTSUPP`.
  public func checkPagingDomain(device: IOMMUFDDevice, flags: HWPTAllocFlags, data: HWPTUserData?) throws(Errno) {
    guard data == nil else { throw Errno.eopnotsupp("mock_domain_alloc_paging_flags: user data given") }
    let allowed: HWPTAllocFlags = [.dirtyTracking, .nestParent, .pasid]
    guard flags.isSubset(of: allowed), !flags.contains(.dirtyTracking) || supportsDirtyTracking(device: device)
    else {
      throw Errno.eopnotsupp("mock_domain_alloc_paging_flags: flags 0x\(hex(UInt64(flags.rawValue))) not supported")
    }
  }

  /// `mock_domain_nop_attach` with a paging domain: a domain with dirty ops
  /// on a NO_DIRTY device → `EINVAL`; otherwise the device leaves any mock
  /// vIOMMU (`mdev->viommu = NULL`, `vdev_id = 0`). No STE.
  public func attachPagingDomain(_ hwpt: HWPTPaging, device: IOMMUFDDevice) throws(Errno) -> PhysicalSTE? {
    let mock = mockDevice(of: device)
    if hwpt.isDirtyTracking, mock?.flags.contains(.noDirty) == true {
      throw Errno.einval("mock_domain_nop_attach: \(hwpt.label) has dirty tracking, device \(device.id) is NO_DIRTY")
    }
    mock?.viommu = nil
    mock?.vdevID = 0
    return nil
  }

  /// The blocking domain's `mock_domain_nop_attach`: leaves the vIOMMU.
  public func deviceDetached(_ device: IOMMUFDDevice) {
    let mock = mockDevice(of: device)
    mock?.viommu = nil
    mock?.vdevID = 0
  }

  /// `mock_get_viommu_size`: only ``IOMMUTest/viommuType``.
  public func viommuSize(device: IOMMUFDDevice, type: UInt32) -> Int {
    type == IOMMUTest.viommuType ? Self.viommuStructSize : 0
  }

  /// `mock_viommu_init`. Without user data it only sets the ops. With data
  /// (`struct iommu_viommu_selftest`): `data_len` outside 8...24 → `EINVAL`
  /// (`iommu_copy_struct_from_user`, min `out_data`); two zeroed pages are
  /// registered for mmap (`iommufd_viommu_alloc_mmap`, 2 pages), the first
  /// u32 of the page is set to `in_data`, and `out_data = in_data`,
  /// `out_mmap_offset`, `out_mmap_length` are copied back, cut to
  /// `data_len`. A failure unwinds the mmap and the pages.
  ///
  /// Stricter than the kernel (which trusts the core here): a nesting
  /// parent on another IOMMU → `EINVAL`.
  public func viommuInit(_ viommu: VIOMMU, userData: [UInt8]) throws(Errno) -> VIOMMUDriverOutput {
    guard viommu.hwpt.driver === self else {
      throw Errno.einval("mock_viommu_init: the nesting parent \(viommu.hwpt.label) is on \(viommu.hwpt.driver.name)")
    }
    guard let context = viommu.context else { throw Errno.einval("mock_viommu_init: vIOMMU has no iommufd context") }
    let mock = SelftestVIOMMU(viommu: viommu, driver: self)
    var output = VIOMMUDriverOutput()
    if !userData.isEmpty {
      guard (SelftestVIOMMUData.minimumSize...SelftestVIOMMUData.size).contains(userData.count) else {
        throw Errno.einval(
          "iommu_copy_struct_from_user: data_len \(userData.count) not in 8...24 (struct iommu_viommu_selftest)")
      }
      var data = SelftestVIOMMUData(bytes: userData)
      var address = pageBase
      while pageOwners[address] != nil { address += 2 * IOAS.pageSize }
      let length = 2 * IOAS.pageSize
      let offset = try context.allocMMap(viommu: viommu, physicalAddress: address, length: length)
      pageOwners[address] = mock
      mock.pageAddress = address
      mock.mmapOffset = offset
      mock.page = Array(repeating: 0, count: Int(length / 4))
      mock.page[0] = data.inData
      data.outData = data.inData
      data.outMMapOffset = offset
      data.outMMapLength = length
      output = VIOMMUDriverOutput(data: data.bytes(length: userData.count))
    }
    viommu.driverData = mock
    viommu.ops = mock
    return output
  }

  /// Reads the u32 at `physicalAddress` in a mock vIOMMU's pages (what a
  /// user reads through the mmap of `out_mmap_offset`; the selftest checks
  /// the first word equals `in_data`). `nil` outside every vIOMMU's pages.
  public func read32(physicalAddress: UInt64) -> UInt32? {
    let pageSpan = 2 * IOAS.pageSize
    guard physicalAddress >= pageBase, physicalAddress & 3 == 0 else { return nil }
    let base = pageBase + (physicalAddress - pageBase) / pageSpan * pageSpan
    guard let mock = pageOwners[base] else { return nil }
    let index = Int((physicalAddress - base) / 4)
    return index < mock.page.count ? mock.page[index] : nil
  }

  /// `free_page(mock_viommu->page)`.
  func freePages(of mock: SelftestVIOMMU) {
    if let address = mock.pageAddress, pageOwners[address] === mock { pageOwners[address] = nil }
    mock.pageAddress = nil
    mock.page = []
  }
}
