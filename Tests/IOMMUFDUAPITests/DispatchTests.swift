import CCMDQV
import IOMMUFD
import IOMMUFDUAPI
import Testing

/// The kernel's dispatch rules (`iommufd_fops_ioctl`, drivers/iommu/iommufd/
/// main.c, v6.17) through the byte layer.
struct DispatchTests {
  static let enotty: Int32 = 25

  @Test(arguments: [
    (0x3B7F as UInt, "nr below IOMMUFD_CMD_BASE (a VFIO compat number)"),
    (0x3B95, "past the table without CONFIG_IOMMUFD_TEST"),
    (0x3BA0, "IOMMU_TEST_CMD without CONFIG_IOMMUFD_TEST"),
    (0xC028_3B85, "IOMMU_IOAS_MAP encoded _IOWR"),
    (0x3C85, "IOMMU_IOAS_MAP with another type byte"),
  ])
  func unknownRequestIsENOTTY(request: UInt, why: String) throws {
    let f = try UAPIFixture()
    var cmd = iommu_ioas_map()
    #expect(f.call(Int32(truncatingIfNeeded: request), &cmd) == Self.enotty, "\(why)")
  }

  @Test func emptySlotWithSelftestIsENOTTYAndTestCmdDispatches() throws {
    let f = try UAPIFixture(selftest: true)
    var cmd = iommu_test_cmd()
    #expect(f.call(0x3B95, &cmd) == Self.enotty)
    cmd.op = UInt32(IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT)
    cmd.memory_limit.limit = 65536
    #expect(f.call(IOMMU_TEST_CMD, &cmd) == 0)
    cmd.memory_limit.limit = 11
    #expect(f.call(IOMMU_TEST_CMD, &cmd) == Errno.einval.code)
    cmd.op = 999
    #expect(f.call(IOMMU_TEST_CMD, &cmd) == Errno.eopnotsupp.code)
  }

  @Test func nullArgumentIsEFAULTForAKnownNumberAndENOTTYOtherwise() throws {
    let f = try UAPIFixture()
    #expect(f.file.ioctl(request: UInt(IOMMU_IOAS_ALLOC), argument: nil) == Errno.efault.code)
    #expect(f.file.ioctl(request: 0x3B7F, argument: nil) == Self.enotty)
  }

  /// Every command: a `size` one byte below `min_size` is EINVAL, before
  /// anything else is looked at.
  @Test(arguments: UAPICommand.table + [UAPICommand.testCommand])
  func sizeBelowMinimumIsEINVAL(_ command: UAPICommand) throws {
    let f = try UAPIFixture(selftest: true)
    var bytes = [UInt8](repeating: 0, count: 128)
    let rc = bytes.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: UInt32(command.minSize - 1), as: UInt32.self)
      return f.file.ioctl(request: UInt(command.request), argument: raw.baseAddress)
    }
    #expect(rc == Errno.einval.code, "\(command.name)")
  }

  /// Every modelled command: a longer struct whose tail is not zero is E2BIG.
  @Test(arguments: (UAPICommand.table + [UAPICommand.testCommand]).filter(\.isModelled))
  func nonZeroTailIsE2BIG(_ command: UAPICommand) throws {
    let f = try UAPIFixture(selftest: true)
    var bytes = [UInt8](repeating: 0, count: command.size + 8)
    bytes[command.size + 5] = 1
    let rc = bytes.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: UInt32(command.size + 8), as: UInt32.self)
      return f.file.ioctl(request: UInt(command.request), argument: raw.baseAddress)
    }
    #expect(rc == Errno.e2big.code, "\(command.name)")
  }

  @Test func longerStructWithZeroTailWorksAndOnlySizeofIsWrittenBack() throws {
    let f = try UAPIFixture()
    var bytes = [UInt8](repeating: 0, count: 64)
    bytes[63] = 0
    let rc = bytes.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: UInt32(64), as: UInt32.self)
      return f.file.ioctl(request: UInt(IOMMU_IOAS_ALLOC), argument: raw.baseAddress)
    }
    #expect(rc == 0)
    #expect(bytes[8] == 1, "out_ioas_id written")
    #expect(bytes[12...].allSatisfy { $0 == 0 }, "nothing written past sizeof(struct iommu_ioas_alloc)")
  }

  /// A short struct is zero-extended: IOMMU_HWPT_ALLOC at its minimum size
  /// (24: up to `__reserved`) allocates a plain HWPT (data_type NONE).
  @Test func shortStructIsZeroExtended() throws {
    let f = try UAPIFixture()
    let ioas = f.ioasAlloc()
    let device = try f.system.context.bindDevice(streamIDs: [0x100])
    var cmd = iommu_hwpt_alloc()
    cmd.dev_id = device
    cmd.pt_id = ioas
    cmd.data_type = 0xFFFF_FFFF  // beyond size 24: must not be read
    #expect(f.call(IOMMU_HWPT_ALLOC, &cmd, size: 24) == 0, "\(String(describing: f.file.lastError))")
    #expect(f.system.context.object(cmd.out_hwpt_id) is HWPTPaging)
  }

  /// Output is written back for min(size, sizeof) bytes only: a 28-byte
  /// IOMMU_VEVENTQ_ALLOC gets `out_veventq_fd` (offset 24) but nothing at 28.
  @Test func truncatedWriteBack() throws {
    let f = try UAPIFixture()
    let vm = try f.vm()
    var cmd = iommu_veventq_alloc()
    cmd.viommu_id = vm.viommu
    cmd.type = UInt32(IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV.rawValue)
    cmd.veventq_depth = 4
    cmd.__reserved = 0x5A5A_5A5A  // past size 28: neither read nor written
    #expect(f.call(IOMMU_VEVENTQ_ALLOC, &cmd, size: 28) == 0, "\(String(describing: f.file.lastError))")
    #expect(cmd.out_veventq_id != 0)
    #expect(cmd.out_veventq_fd == 1000)
    #expect(cmd.__reserved == 0x5A5A_5A5A)
  }

  /// Every allocation's output fields, as the kernel writes them.
  @Test func outputFieldsAreWrittenBack() throws {
    let f = try UAPIFixture()
    let vm = try f.vm()
    #expect((vm.ioas, vm.device, vm.hwpt, vm.viommu) == (1, 2, 3, 4))
    #expect(vm.mmapOffset != 0 && vm.mmapLength == 0x10000)
    var vdev = iommu_vdevice_alloc()
    vdev.viommu_id = vm.viommu
    vdev.dev_id = vm.device
    vdev.virt_id = 0x20
    f.ok(IOMMU_VDEVICE_ALLOC, &vdev)
    #expect(vdev.out_vdevice_id == 5)
    var queue = iommu_hw_queue_alloc()
    queue.viommu_id = vm.viommu
    queue.type = UInt32(IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV.rawValue)
    queue.index = 0
    queue.nesting_parent_iova = UAPIFixture.ramIOVA
    queue.length = 4096
    f.ok(IOMMU_HW_QUEUE_ALLOC, &queue)
    #expect(queue.out_hw_queue_id == 6)
    var fault = iommu_fault_alloc()
    f.ok(IOMMU_FAULT_QUEUE_ALLOC, &fault)
    #expect(f.system.context.object(fault.out_fault_id) is FaultQueue)
    #expect(fault.out_fault_fd == 1000)
    var info = iommu_hw_info()
    var data = iommu_hw_info_tegra241_cmdqv()
    info.dev_id = vm.device
    info.flags = UInt32(IOMMU_HW_INFO_FLAG_INPUT_TYPE.rawValue)
    info.in_data_type = UInt32(IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV.rawValue)
    info.data_len = 8
    let rc = withUnsafeMutableBytes(of: &data) { bytes in
      info.data_uptr = UInt64(UInt(bitPattern: bytes.baseAddress))
      return f.call(IOMMU_GET_HW_INFO, &info)
    }
    #expect(rc == 0)
    #expect(info.out_data_type == 3 && info.data_len == 8)
    let typed = try f.system.context.getHWInfo(device: vm.device, type: 3).data
    #expect(withUnsafeBytes(of: data) { Array($0) } == typed)
  }

  /// GET_HW_INFO with a buffer larger than the driver's data: the rest is
  /// zeroed and `data_len` says how much the driver had.
  @Test func hwInfoZeroFillsTheRestOfTheBuffer() throws {
    let f = try UAPIFixture()
    let device = try f.system.context.bindDevice(streamIDs: [0x100])
    var buffer = [UInt8](repeating: 0xEE, count: 64)
    var info = iommu_hw_info()
    info.dev_id = device
    info.data_len = 64
    let rc = buffer.withUnsafeMutableBytes { bytes in
      info.data_uptr = UInt64(UInt(bitPattern: bytes.baseAddress))
      return f.call(IOMMU_GET_HW_INFO, &info)
    }
    #expect(rc == 0)
    #expect(info.out_data_type == 2 && info.data_len == 40)
    #expect(buffer[40...].allSatisfy { $0 == 0 })
  }
}
