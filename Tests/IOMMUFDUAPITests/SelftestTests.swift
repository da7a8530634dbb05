import CCMDQV
import IOMMUFD
import IOMMUFDUAPI
import Testing

/// The selftest mock driver's ops and entry arrays through the byte layer:
/// the iommufd_viommu fixture (tools/testing/selftests/iommu/iommufd.c,
/// v6.17) with `struct iommu_test_cmd`, and the errnos the typed-API tests
/// expect for these checks, once each.
struct SelftestTests {
  struct Fixture {
    let f: UAPIFixture
    var ioas: UInt32 = 0
    var stdev: UInt32 = 0
    var device: UInt32 = 0
    var parent: UInt32 = 0
    var viommu: UInt32 = 0
    var nested: UInt32 = 0

    init() throws {
      f = try UAPIFixture(selftest: true)
      ioas = f.ioasAlloc()
      var mock = iommu_test_cmd()
      mock.op = UInt32(IOMMU_TEST_OP_MOCK_DOMAIN)
      mock.id = ioas
      f.ok(IOMMU_TEST_CMD, &mock)
      (stdev, device) = (mock.mock_domain.out_stdev_id, mock.mock_domain.out_idev_id)
      var hwpt = iommu_hwpt_alloc()
      hwpt.flags = UInt32(IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue)
      hwpt.dev_id = device
      hwpt.pt_id = ioas
      f.ok(IOMMU_HWPT_ALLOC, &hwpt)
      parent = hwpt.out_hwpt_id
      var v = iommu_viommu_alloc()
      v.type = IOMMU_VIOMMU_TYPE_SELFTEST
      v.dev_id = device
      v.hwpt_id = parent
      f.ok(IOMMU_VIOMMU_ALLOC, &v)
      viommu = v.out_viommu_id
      var iotlb = UInt32(IOMMU_TEST_IOTLB_DEFAULT)
      var n = iommu_hwpt_alloc()
      n.dev_id = device
      n.pt_id = viommu
      n.data_type = UInt32(IOMMU_HWPT_DATA_SELFTEST)
      n.data_len = 4
      let rc = withUnsafeMutableBytes(of: &iotlb) { bytes in
        n.data_uptr = UInt64(UInt(bitPattern: bytes.baseAddress))
        return f.call(IOMMU_HWPT_ALLOC, &n)
      }
      #expect(rc == 0)
      nested = n.out_hwpt_id
    }

    func test(_ op: Int, id: UInt32 = 0, _ body: (inout iommu_test_cmd) -> Void = { _ in }) -> Int32 {
      var cmd = iommu_test_cmd()
      cmd.op = UInt32(op)
      cmd.id = id
      body(&cmd)
      return f.call(IOMMU_TEST_CMD, &cmd)
    }

    /// IOMMU_HWPT_INVALIDATE with `entries` laid out `entryLength` apart.
    func invalidate(
      _ id: UInt32, type: UInt32, entryLength: UInt32, entries: [[UInt32]], entryNum: inout UInt32
    ) -> Int32 {
      var bytes = [UInt8](repeating: 0, count: max(1, Int(entryLength) * entries.count))
      for (i, words) in entries.enumerated() {
        for (j, w) in words.enumerated() where j * 4 < Int(entryLength) {
          withUnsafeBytes(of: w.littleEndian) { for k in 0..<4 where j * 4 + k < Int(entryLength) { bytes[i * Int(entryLength) + j * 4 + k] = $0[k] } }
        }
      }
      var cmd = iommu_hwpt_invalidate()
      cmd.hwpt_id = id
      cmd.data_type = type
      cmd.entry_len = entryLength
      cmd.entry_num = entryNum
      let rc = bytes.withUnsafeMutableBytes { raw in
        cmd.data_uptr = UInt64(UInt(bitPattern: raw.baseAddress))
        return f.call(IOMMU_HWPT_INVALIDATE, &cmd)
      }
      entryNum = cmd.entry_num
      return rc
    }
  }

  @Test func fixtureIDsAreTheKernels() throws {
    let x = try Fixture()
    #expect((x.ioas, x.stdev, x.device, x.parent, x.viommu, x.nested) == (1, 2, 3, 5, 6, 7))
  }

  @Test func selftestOpErrnos() throws {
    let x = try Fixture()
    #expect(x.test(Int(IOMMU_TEST_OP_MOCK_DOMAIN), id: 99) == Errno.enoent.code, "MOCK_DOMAIN on a bad IOAS")
    #expect(
      x.test(Int(IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS), id: x.ioas) { $0.mock_domain_flags.dev_flags = 1 << 7 }
        == Errno.einval.code, "MOCK_DOMAIN_FLAGS with an unknown flag")
    #expect(x.test(Int(IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT)) { $0.memory_limit.limit = 11 } == Errno.einval.code)
    #expect(
      x.test(Int(IOMMU_TEST_OP_MD_CHECK_IOTLB), id: x.nested) { $0.check_iotlb = .init(id: 0, iotlb: 0xbadbeef) } == 0)
    #expect(
      x.test(Int(IOMMU_TEST_OP_MD_CHECK_IOTLB), id: x.nested) { $0.check_iotlb = .init(id: 0, iotlb: 1) }
        == Errno.einval.code, "an IOTLB value that does not match")
    #expect(
      x.test(Int(IOMMU_TEST_OP_MD_CHECK_IOTLB), id: x.parent) { $0.check_iotlb = .init(id: 0, iotlb: 0xbadbeef) }
        == Errno.enoent.code, "not a nested HWPT")
    #expect(
      x.test(Int(IOMMU_TEST_OP_TRIGGER_VEVENT)) { $0.trigger_vevent.dev_id = x.device } == Errno.enoent.code,
      "the device is not on a nested HWPT with a vDEVICE")
    #expect(
      x.test(Int(IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE), id: x.stdev) { $0.mock_domain_replace.pt_id = x.nested }
        == Errno.enoent.code, "replace to a nested HWPT before the vDEVICE")
    #expect(x.test(Int(IOMMU_TEST_OP_ADD_RESERVED)) == Errno.eopnotsupp.code)
  }

  /// Without the mock IOMMU the table has no IOMMU_TEST_CMD: ENOTTY.
  @Test func noSelftestDriverIsENOTTY() throws {
    let f = try UAPIFixture(selftest: false)
    var cmd = iommu_test_cmd()
    cmd.op = UInt32(IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT)
    #expect(f.call(IOMMU_TEST_CMD, &cmd) == 25)
  }

  /// vdevice_cache (iommufd.c): the mock vIOMMU's entry array, byte for byte.
  @Test func viommuInvalidationArray() throws {
    let x = try Fixture()
    var vdev = iommu_vdevice_alloc()
    vdev.viommu_id = x.viommu
    vdev.dev_id = x.device
    vdev.virt_id = 0x99
    x.f.ok(IOMMU_VDEVICE_ALLOC, &vdev)
    let type: UInt32 = 0xdeadbeef
    var n: UInt32 = 1
    #expect(x.invalidate(x.viommu, type: 0xdadbeef, entryLength: 12, entries: [[0, 0x99, 0]], entryNum: &n) == Errno.einval.code)
    #expect(n == 0)
    n = 1
    #expect(x.invalidate(x.viommu, type: type, entryLength: 16, entries: [[0, 0x99, 0, 1]], entryNum: &n) == Errno.e2big.code, "a non-zero tail past the 12-byte entry")
    n = 1
    #expect(x.invalidate(x.viommu, type: type, entryLength: 12, entries: [[0xffffffff, 0x99, 0]], entryNum: &n) == Errno.eopnotsupp.code)
    n = 2
    #expect(x.invalidate(x.viommu, type: type, entryLength: 12, entries: [[0, 0x99, 0], [0, 0x99, 4]], entryNum: &n) == Errno.einval.code)
    #expect(n == 1, "the first entry was handled")
    #expect(x.test(Int(IOMMU_TEST_OP_DEV_CHECK_CACHE), id: x.device) { $0.check_dev_cache = .init(id: 0, cache: 0) } == 0)
    #expect(x.test(Int(IOMMU_TEST_OP_DEV_CHECK_CACHE), id: x.device) { $0.check_dev_cache = .init(id: 1, cache: 0xbaddad) } == 0)
    n = 0
    #expect(x.invalidate(x.viommu, type: type, entryLength: 12, entries: [], entryNum: &n) == 0, "zero entries probe the type")
  }

  /// The mock nested domain's array (mock_domain_cache_invalidate_user).
  @Test func nestedHWPTInvalidationArray() throws {
    let x = try Fixture()
    let type: UInt32 = 0xdeadbeef
    var n: UInt32 = 1
    #expect(x.invalidate(x.nested, type: type, entryLength: 7, entries: [[0, 1]], entryNum: &n) == Errno.einval.code, "entry_len != 8")
    n = 1
    #expect(x.invalidate(x.nested, type: type, entryLength: 8, entries: [[0, 4]], entryNum: &n) == Errno.einval.code, "iotlb_id > 3")
    n = 1
    #expect(x.invalidate(x.nested, type: type, entryLength: 8, entries: [[0, 1]], entryNum: &n) == 0)
    #expect(n == 1)
    #expect(x.test(Int(IOMMU_TEST_OP_MD_CHECK_IOTLB), id: x.nested) { $0.check_iotlb = .init(id: 1, iotlb: 0) } == 0)
    #expect(x.test(Int(IOMMU_TEST_OP_MD_CHECK_IOTLB), id: x.nested) { $0.check_iotlb = .init(id: 2, iotlb: 0xbadbeef) } == 0)
  }

  /// viommu_alloc_nested_iopf: a page fault raised with TRIGGER_IOPF is read
  /// from the fault fd as a 40-byte record and answered with its cookie.
  @Test func pageFaultThroughTheFaultDescriptor() throws {
    let x = try Fixture()
    var fault = iommu_fault_alloc()
    x.f.ok(IOMMU_FAULT_QUEUE_ALLOC, &fault)
    let fd = Int32(bitPattern: fault.out_fault_fd)
    var iotlb = UInt32(IOMMU_TEST_IOTLB_DEFAULT)
    var n = iommu_hwpt_alloc()
    n.flags = UInt32(IOMMU_HWPT_FAULT_ID_VALID.rawValue)
    n.dev_id = x.device
    n.pt_id = x.viommu
    n.data_type = UInt32(IOMMU_HWPT_DATA_SELFTEST)
    n.data_len = 4
    n.fault_id = fault.out_fault_id
    let rc = withUnsafeMutableBytes(of: &iotlb) { bytes in
      n.data_uptr = UInt64(UInt(bitPattern: bytes.baseAddress))
      return x.f.call(IOMMU_HWPT_ALLOC, &n)
    }
    #expect(rc == 0)
    var vdev = iommu_vdevice_alloc()
    vdev.viommu_id = x.viommu
    vdev.dev_id = x.device
    vdev.virt_id = 0x99
    x.f.ok(IOMMU_VDEVICE_ALLOC, &vdev)
    #expect(x.test(Int(IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE), id: x.stdev) { $0.mock_domain_replace.pt_id = n.out_hwpt_id } == 0)
    #expect(
      x.test(Int(IOMMU_TEST_OP_TRIGGER_IOPF)) {
        $0.trigger_iopf.dev_id = x.device
        $0.trigger_iopf.pasid = 1
        $0.trigger_iopf.grpid = 2
        $0.trigger_iopf.perm = 3
        $0.trigger_iopf.addr = 0xdeadbeaf
      } == 0)
    #expect(x.f.descriptors.readable.contains(fd))
    var record = iommu_hwpt_pgfault()
    #expect(withUnsafeMutableBytes(of: &record) { x.f.file.read(descriptor: fd, into: $0.baseAddress, count: 39) } == -29)
    #expect(withUnsafeMutableBytes(of: &record) { x.f.file.read(descriptor: fd, into: $0.baseAddress, count: 40) } == 40)
    #expect(record.dev_id == x.device && record.pasid == 1 && record.grpid == 2 && record.perm == 3)
    #expect(record.addr == 0xdeadbeaf && record.cookie == 1 && record.flags == 3)
    #expect(!x.f.descriptors.readable.contains(fd))
    var destroy = iommu_destroy(size: 0, id: n.out_hwpt_id)
    #expect(x.f.call(IOMMU_DESTROY, &destroy) == Errno.ebusy.code)
    var response = iommu_hwpt_page_response(cookie: 2, code: 0)
    #expect(withUnsafeBytes(of: &response) { x.f.file.write(descriptor: fd, from: $0.baseAddress, count: 8) } == -Int(Errno.einval.code))
    response.cookie = 1
    #expect(withUnsafeBytes(of: &response) { x.f.file.write(descriptor: fd, from: $0.baseAddress, count: 8) } == 8)
  }
}
