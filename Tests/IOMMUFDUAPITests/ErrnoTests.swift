import CCMDQV
import CMDQVRegisters
import IOMMUFD
import IOMMUFDUAPI
import Testing

/// Each errno the typed-API tests expect from an ioctl, reached once through
/// the byte layer with the struct a C caller would pass.
struct ErrnoTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var errno: Errno
    var run: @Sendable (UAPIFixture) throws -> Int32
    var testDescription: String { "\(errno.name): \(name)" }
  }

  static let tegraQueue = UInt32(IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV.rawValue)

  static let cases: [Case] = [
    Case(name: "IOAS_ALLOC flags", errno: .eopnotsupp) { f in
      var cmd = iommu_ioas_alloc()
      cmd.flags = 1
      return f.call(IOMMU_IOAS_ALLOC, &cmd)
    },
    Case(name: "DESTROY of a free ID", errno: .enoent) { f in
      var cmd = iommu_destroy(size: 0, id: 99)
      return f.call(IOMMU_DESTROY, &cmd)
    },
    Case(name: "DESTROY of a nest parent a vIOMMU holds", errno: .ebusy) { f in
      let vm = try f.vm()
      var cmd = iommu_destroy(size: 0, id: vm.hwpt)
      return f.call(IOMMU_DESTROY, &cmd)
    },
    Case(name: "IOAS_MAP without READABLE/WRITEABLE", errno: .einval) { f in
      var cmd = iommu_ioas_map()
      cmd.ioas_id = f.ioasAlloc()
      cmd.flags = UInt32(IOMMU_IOAS_MAP_FIXED_IOVA.rawValue)
      cmd.length = 4096
      return f.call(IOMMU_IOAS_MAP, &cmd)
    },
    Case(name: "IOAS_MAP iova ULONG_MAX", errno: .eoverflow) { f in
      var cmd = iommu_ioas_map()
      cmd.ioas_id = f.ioasAlloc()
      cmd.flags = UInt32(IOMMU_IOAS_MAP_READABLE.rawValue)
      cmd.iova = .max
      return f.call(IOMMU_IOAS_MAP, &cmd)
    },
    Case(name: "IOAS_MAP unknown flag", errno: .eopnotsupp) { f in
      var cmd = iommu_ioas_map()
      cmd.flags = 1 << 5
      return f.call(IOMMU_IOAS_MAP, &cmd)
    },
    Case(name: "IOAS_MAP of unmapped user memory", errno: .efault) { f in
      var cmd = iommu_ioas_map()
      cmd.ioas_id = f.ioasAlloc()
      cmd.flags = UInt32(IOMMU_IOAS_MAP_READABLE.rawValue | IOMMU_IOAS_MAP_FIXED_IOVA.rawValue)
      cmd.user_va = 0x1000  // page 1 is never mapped
      cmd.length = 4096
      return f.call(IOMMU_IOAS_MAP, &cmd)
    },
    Case(name: "IOAS_MAP over an existing area", errno: .eexist) { f in
      let ioas = f.ioasAlloc()
      _ = f.mapBuffer(ioas: ioas, iova: 0x10000, length: 8192)
      let other = f.buffer(4096)
      var cmd = iommu_ioas_map()
      cmd.ioas_id = ioas
      cmd.flags = UInt32(IOMMU_IOAS_MAP_READABLE.rawValue | IOMMU_IOAS_MAP_FIXED_IOVA.rawValue)
      cmd.user_va = UInt64(UInt(bitPattern: other))
      cmd.length = 4096
      cmd.iova = 0x11000
      return f.call(IOMMU_IOAS_MAP, &cmd)
    },
    Case(name: "IOAS_UNMAP of a bad IOAS", errno: .enoent) { f in
      var cmd = iommu_ioas_unmap()
      cmd.ioas_id = 42
      cmd.length = 4096
      return f.call(IOMMU_IOAS_UNMAP, &cmd)
    },
    Case(name: "HWPT_ALLOC __reserved", errno: .eopnotsupp) { f in
      var cmd = iommu_hwpt_alloc()
      cmd.__reserved = 1
      return f.call(IOMMU_HWPT_ALLOC, &cmd)
    },
    Case(name: "HWPT_ALLOC nested with a vSTE using forbidden bits", errno: .eio) { f in
      let vm = try f.vm()
      var ste = iommu_hwpt_arm_smmuv3(ste: (1 | 1 << 55, 0))
      var cmd = iommu_hwpt_alloc()
      cmd.dev_id = vm.device
      cmd.pt_id = vm.viommu
      cmd.data_type = UInt32(IOMMU_HWPT_DATA_ARM_SMMUV3.rawValue)
      cmd.data_len = 16
      return withUnsafeMutableBytes(of: &ste) { bytes in
        cmd.data_uptr = UInt64(UInt(bitPattern: bytes.baseAddress))
        return f.call(IOMMU_HWPT_ALLOC, &cmd)
      }
    },
    Case(name: "HWPT_ALLOC data_uptr NULL with data_len", errno: .efault) { f in
      let vm = try f.vm()
      var cmd = iommu_hwpt_alloc()
      cmd.dev_id = vm.device
      cmd.pt_id = vm.viommu
      cmd.data_type = UInt32(IOMMU_HWPT_DATA_ARM_SMMUV3.rawValue)
      cmd.data_len = 16
      return f.call(IOMMU_HWPT_ALLOC, &cmd)
    },
    Case(name: "VIOMMU_ALLOC on a HWPT that is not a nest parent", errno: .einval) { f in
      let ioas = f.ioasAlloc()
      let device = try f.system.context.bindDevice(streamIDs: [0x100])
      let hwpt = try f.system.context.allocHWPT(device: device, pt: ioas)
      var cmd = iommu_viommu_alloc()
      cmd.type = UInt32(IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV.rawValue)
      cmd.dev_id = device
      cmd.hwpt_id = hwpt
      return f.call(IOMMU_VIOMMU_ALLOC, &cmd)
    },
    Case(name: "VIOMMU_ALLOC when every VINTF is taken", errno: .enospc) { f in
      var rc: Int32 = 0
      for sid in UInt32(0x100)..<0x108 where rc == 0 {
        let ioas = f.ioasAlloc()
        let device = try f.system.context.bindDevice(streamIDs: [sid])
        let hwpt = try f.system.context.allocHWPT(device: device, pt: ioas, flags: .nestParent)
        var data = iommu_viommu_tegra241_cmdqv()
        var cmd = iommu_viommu_alloc()
        cmd.type = UInt32(IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV.rawValue)
        cmd.dev_id = device
        cmd.hwpt_id = hwpt
        cmd.data_len = 16
        rc = withUnsafeMutableBytes(of: &data) { bytes in
          cmd.data_uptr = UInt64(UInt(bitPattern: bytes.baseAddress))
          return f.call(IOMMU_VIOMMU_ALLOC, &cmd)
        }
      }
      return rc
    },
    Case(name: "VDEVICE_ALLOC twice for one device", errno: .eexist) { f in
      let vm = try f.vm()
      var cmd = iommu_vdevice_alloc()
      cmd.viommu_id = vm.viommu
      cmd.dev_id = vm.device
      cmd.virt_id = 1
      f.ok(IOMMU_VDEVICE_ALLOC, &cmd)
      cmd.virt_id = 2
      return f.call(IOMMU_VDEVICE_ALLOC, &cmd)
    },
    Case(name: "HW_QUEUE_ALLOC of unmapped IOVA", errno: .enoent) { f in
      let vm = try f.vm()
      var cmd = iommu_hw_queue_alloc()
      cmd.viommu_id = vm.viommu
      cmd.type = tegraQueue
      cmd.nesting_parent_iova = 0x4000_0000
      cmd.length = 4096
      return f.call(IOMMU_HW_QUEUE_ALLOC, &cmd)
    },
    Case(name: "HW_QUEUE_ALLOC whose offset + length overflows", errno: .erange) { f in
      let vm = try f.vm()
      var cmd = iommu_hw_queue_alloc()
      cmd.viommu_id = vm.viommu
      cmd.type = tegraQueue
      cmd.nesting_parent_iova = 0xFFF
      cmd.length = 0 &- 0xFFF
      return f.call(IOMMU_HW_QUEUE_ALLOC, &cmd)
    },
    Case(name: "HW_QUEUE_ALLOC iova + length - 1 overflows", errno: .eoverflow) { f in
      var cmd = iommu_hw_queue_alloc()
      cmd.type = tegraQueue
      cmd.nesting_parent_iova = .max
      cmd.length = 2
      return f.call(IOMMU_HW_QUEUE_ALLOC, &cmd)
    },
    Case(name: "VEVENTQ_ALLOC __reserved", errno: .eopnotsupp) { f in
      var cmd = iommu_veventq_alloc()
      cmd.type = 2
      cmd.veventq_depth = 1
      cmd.__reserved = 1
      return f.call(IOMMU_VEVENTQ_ALLOC, &cmd)
    },
    Case(name: "VEVENTQ_ALLOC twice of one type", errno: .eexist) { f in
      let vm = try f.vm()
      var cmd = iommu_veventq_alloc()
      cmd.viommu_id = vm.viommu
      cmd.type = 2
      cmd.veventq_depth = 2
      f.ok(IOMMU_VEVENTQ_ALLOC, &cmd)
      return f.call(IOMMU_VEVENTQ_ALLOC, &cmd)
    },
    Case(name: "DESTROY of a vEVENTQ whose fd is open", errno: .ebusy) { f in
      let vm = try f.vm()
      var cmd = iommu_veventq_alloc()
      cmd.viommu_id = vm.viommu
      cmd.type = 2
      cmd.veventq_depth = 2
      f.ok(IOMMU_VEVENTQ_ALLOC, &cmd)
      var destroy = iommu_destroy(size: 0, id: cmd.out_veventq_id)
      return f.call(IOMMU_DESTROY, &destroy)
    },
    Case(name: "FAULT_QUEUE_ALLOC flags", errno: .eopnotsupp) { f in
      var cmd = iommu_fault_alloc()
      cmd.flags = 1
      return f.call(IOMMU_FAULT_QUEUE_ALLOC, &cmd)
    },
    Case(name: "GET_HW_INFO unknown flag", errno: .eopnotsupp) { f in
      var cmd = iommu_hw_info()
      cmd.flags = 2
      return f.call(IOMMU_GET_HW_INFO, &cmd)
    },
    Case(name: "GET_HW_INFO bad device", errno: .enoent) { f in
      var cmd = iommu_hw_info()
      cmd.dev_id = 77
      return f.call(IOMMU_GET_HW_INFO, &cmd)
    },
    Case(name: "HWPT_INVALIDATE entries without data_uptr", errno: .einval) { f in
      var cmd = iommu_hwpt_invalidate()
      cmd.entry_num = 1
      cmd.entry_len = 16
      return f.call(IOMMU_HWPT_INVALIDATE, &cmd)
    },
    Case(name: "HWPT_INVALIDATE on an IOAS", errno: .einval) { f in
      var cmd = iommu_hwpt_invalidate()
      cmd.hwpt_id = f.ioasAlloc()
      return f.call(IOMMU_HWPT_INVALIDATE, &cmd)
    },
    Case(name: "HWPT_INVALIDATE more entries than kcalloc allows", errno: .enomem) { f in
      let vm = try f.vm()
      var cmd = iommu_hwpt_invalidate()
      cmd.hwpt_id = vm.viommu
      cmd.data_uptr = UInt64(UInt(bitPattern: vm.ram))
      cmd.data_type = 1
      cmd.entry_len = 16
      cmd.entry_num = UInt32(UserDataArray.kmallocMaxSize / 16 + 1)
      return f.call(IOMMU_HWPT_INVALIDATE, &cmd)
    },
    Case(name: "HWPT_INVALIDATE entry longer than 16 bytes with a non-zero tail", errno: .e2big) { f in
      let vm = try f.vm()
      vm.ram.storeBytes(of: UInt8(0x11), toByteOffset: 0, as: UInt8.self)  // CMD_TLBI_NH_ASID
      vm.ram.storeBytes(of: UInt8(1), toByteOffset: 20, as: UInt8.self)
      var cmd = iommu_hwpt_invalidate()
      cmd.hwpt_id = vm.viommu
      cmd.data_uptr = UInt64(UInt(bitPattern: vm.ram))
      cmd.data_type = 1
      cmd.entry_len = 24
      cmd.entry_num = 1
      return f.call(IOMMU_HWPT_INVALIDATE, &cmd)
    },
    Case(name: "HWPT_INVALIDATE with an unknown opcode", errno: .eio) { f in
      let vm = try f.vm()
      vm.ram.storeBytes(of: UInt8(0x7F), toByteOffset: 0, as: UInt8.self)
      var cmd = iommu_hwpt_invalidate()
      cmd.hwpt_id = vm.viommu
      cmd.data_uptr = UInt64(UInt(bitPattern: vm.ram))
      cmd.data_type = 1
      cmd.entry_len = 16
      cmd.entry_num = 1
      return f.call(IOMMU_HWPT_INVALIDATE, &cmd)
    },
  ]

  @Test(arguments: cases)
  func errnoThroughTheByteLayer(_ c: Case) throws {
    let f = try UAPIFixture()
    let rc = try c.run(f)
    #expect(rc == c.errno.code, "expected \(c.errno.name), got \(rc): \(String(describing: f.file.lastError))")
    #expect(f.file.lastError?.message.isEmpty == false)
  }

  /// `entry_num` is written back on failure too: the index of the entry the
  /// driver stopped at (arm_vsmmu_cache_invalidate).
  @Test func invalidateWritesEntryNumBackOnFailure() throws {
    let f = try UAPIFixture()
    let vm = try f.vm()
    let commands: [SMMUCommand] = [.tlbiNHASID(asid: 1), .tlbiNHAll(), .raw(opcode: 0x7F)]
    for (i, c) in commands.enumerated() {
      vm.ram.storeBytes(of: c.dword0.littleEndian, toByteOffset: 16 * i, as: UInt64.self)
      vm.ram.storeBytes(of: c.dword1.littleEndian, toByteOffset: 16 * i + 8, as: UInt64.self)
    }
    var cmd = iommu_hwpt_invalidate()
    cmd.hwpt_id = vm.viommu
    cmd.data_uptr = UInt64(UInt(bitPattern: vm.ram))
    cmd.data_type = 1
    cmd.entry_len = 16
    cmd.entry_num = 3
    #expect(f.call(IOMMU_HWPT_INVALIDATE, &cmd) == Errno.eio.code)
    #expect(cmd.entry_num == 2)
    cmd.entry_num = 2
    #expect(f.call(IOMMU_HWPT_INVALIDATE, &cmd) == 0)
    #expect(cmd.entry_num == 2)
    // entry_len 8: each entry zero-extended to 16 bytes (dword1 = 0).
    cmd.entry_len = 8
    cmd.entry_num = 1
    #expect(f.call(IOMMU_HWPT_INVALIDATE, &cmd) == 0)
    #expect(cmd.entry_num == 1)
  }
}
