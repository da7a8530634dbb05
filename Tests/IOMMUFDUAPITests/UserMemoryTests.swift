import CCMDQV
import Glibc
import CMDQVModel
import CMDQVRegisters
import IOMMUFD
import IOMMUFDUAPI
import Testing

/// IOMMU_IOAS_MAP of the process's own memory: the bytes a caller writes to
/// its buffer are what the CMDQV fetches.
struct UserMemoryTests {
  @Test func queueWrittenByTheCallerIsFetchedByTheModel() throws {
    let f = try UAPIFixture()
    let vm = try f.vm()
    var vdev = iommu_vdevice_alloc()
    vdev.viommu_id = vm.viommu
    vdev.dev_id = vm.device
    vdev.virt_id = 0x20
    f.ok(IOMMU_VDEVICE_ALLOC, &vdev)
    var queue = iommu_hw_queue_alloc()
    queue.viommu_id = vm.viommu
    queue.type = UInt32(IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV.rawValue)
    queue.nesting_parent_iova = UAPIFixture.ramIOVA
    queue.length = 256 * 16
    f.ok(IOMMU_HW_QUEUE_ALLOC, &queue)
    let mapping = try f.file.mmap(length: vm.mmapLength, prot: 3, flags: 1, offset: vm.mmapOffset)
    let vintf = Int((mapping.physicalAddress - 0x1_0000_0000 - 0x30000) / 0x20000)
    let window = f.system.guestWindow(mapping, vintf: vintf)
    let registers = VCMDQPage0Registers(bus: window, baseOffset: 0, initiator: .guest(vintf: vintf))
    registers.config.write { $0.enable = true }
    f.system.step(cycles: 100)
    #expect(registers.status.read().rawValue & 1 == 1, "CMDQ_EN_OK")
    // Three commands written straight into the caller's buffer, as C would.
    let commands: [SMMUCommand] = [.tlbiNHASID(asid: 3), .tlbiNHVA(asid: 3, address: 0x1000), .sync()]
    for (i, c) in commands.enumerated() {
      vm.ram.storeBytes(of: c.dword0.littleEndian, toByteOffset: 16 * i, as: UInt64.self)
      vm.ram.storeBytes(of: c.dword1.littleEndian, toByteOffset: 16 * i + 8, as: UInt64.self)
    }
    registers.prod.write { $0.index = 3 }
    f.system.step(cycles: 1000)
    #expect(registers.cons.read().index == 3, "the model consumed the caller's three commands")
    #expect(f.system.device.violations.isEmpty, "\(Array(f.system.device.violations))")
    // An illegal opcode in the buffer is fetched too: CERROR_ILL.
    vm.ram.storeBytes(of: UInt64(0x7F).littleEndian, toByteOffset: 48, as: UInt64.self)
    registers.prod.write { $0.index = 4 }
    f.system.step(cycles: 1000)
    #expect(registers.cons.read().rawValue >> 24 & 0x7F == 1, "CONS.ERR = CERROR_ILL")
    mapping.munmap()
  }

  /// A read-only buffer cannot be pinned into the model (its DMA would
  /// store into the page and crash the process): EFAULT, nothing pinned or
  /// mapped, and the same pages once writable map fine.
  @Test(arguments: [IOMMU_IOAS_MAP_READABLE.rawValue, IOMMU_IOAS_MAP_READABLE.rawValue | IOMMU_IOAS_MAP_WRITEABLE.rawValue])
  func readOnlyBufferIsEFAULT(flags: UInt32) throws {
    let f = try UAPIFixture()
    let ioas = f.ioasAlloc()
    let length = 3 * 4096
    let pages = try #require(mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
    defer { munmap(pages, length) }
    pages.storeBytes(of: 0xA5, toByteOffset: 4096, as: UInt8.self)
    #expect(mprotect(pages + 4096, 4096, PROT_READ) == 0)
    var map = iommu_ioas_map()
    map.ioas_id = ioas
    map.flags = UInt32(IOMMU_IOAS_MAP_FIXED_IOVA.rawValue | flags)
    map.user_va = UInt64(UInt(bitPattern: pages))
    map.length = UInt64(length)
    map.iova = 0x10_0000
    #expect(f.call(IOMMU_IOAS_MAP, &map) == Errno.efault.code)
    #expect(f.system.userMemory.pinnedPageCount == 0)
    #expect(pages.load(fromByteOffset: 4096, as: UInt8.self) == 0xA5, "probing wrote the byte back unchanged")
    #expect(mprotect(pages + 4096, 4096, PROT_READ | PROT_WRITE) == 0)
    #expect(f.call(IOMMU_IOAS_MAP, &map) == 0)
    #expect(f.system.userMemory.pinnedPageCount == 3)
    var unmap = iommu_ioas_unmap()
    unmap.ioas_id = ioas
    unmap.iova = 0x10_0000
    unmap.length = UInt64(length)
    #expect(f.call(IOMMU_IOAS_UNMAP, &unmap) == 0)
    #expect(f.system.userMemory.pinnedPageCount == 0)
  }

  /// Without FIXED_IOVA the lowest free IOVA is chosen and written back;
  /// IOAS_UNMAP writes back the bytes unmapped and unpins the pages.
  @Test func mapWithoutFixedIOVAAndUnmapAll() throws {
    let f = try UAPIFixture()
    let ioas = f.ioasAlloc()
    _ = f.mapBuffer(ioas: ioas, iova: 0, length: 8192)
    let memory = f.buffer(4096)
    var map = iommu_ioas_map()
    map.ioas_id = ioas
    map.flags = UInt32(IOMMU_IOAS_MAP_READABLE.rawValue)
    map.user_va = UInt64(UInt(bitPattern: memory))
    map.length = 4096
    map.iova = 0xDEAD_0000
    f.ok(IOMMU_IOAS_MAP, &map)
    #expect(map.iova == 0x2000)
    #expect(f.system.userMemory.pinnedPageCount == 3)
    memory.storeBytes(of: 0xC0FFEE, as: UInt32.self)
    #expect(f.system.device.memory.load64(at: UInt64(UInt(bitPattern: memory))) == 0xC0FFEE)
    var unmap = iommu_ioas_unmap()
    unmap.ioas_id = ioas
    unmap.iova = 0
    unmap.length = .max
    f.ok(IOMMU_IOAS_UNMAP, &unmap)
    #expect(unmap.length == 0x3000)
    #expect(f.system.userMemory.pinnedPageCount == 0)
    #expect(f.system.device.memory.load64(at: UInt64(UInt(bitPattern: memory))) == nil)
    #expect(memory.load(as: UInt32.self) == 0xC0FFEE, "the caller's memory is left alone")
    #expect(f.call(IOMMU_IOAS_UNMAP, &unmap) == Errno.enoent.code, "nothing left to unmap")
  }
}

/// Without a model, `ProcessMemory` is the physical memory: what IOAS_MAP
/// pinned reads and writes the caller's own buffer, nothing else is backed.
@Test func processMemoryIsTheCallersMemory() throws {
  let memory = ProcessMemory()
  let file = IOMMUFDFile(context: IOMMUFDContext(drivers: []), userMemory: memory)
  var ioas = iommu_ioas_alloc(size: 12, flags: 0, out_ioas_id: 0)
  #expect(withUnsafeMutableBytes(of: &ioas) { file.ioctl(request: UInt(IOMMU_IOAS_ALLOC), argument: $0.baseAddress) } == 0)
  let buffer = UnsafeMutableRawPointer.allocate(byteCount: 8192, alignment: 4096)
  defer { buffer.deallocate() }
  buffer.initializeMemory(as: UInt8.self, repeating: 0x5A, count: 8192)
  let va = UInt64(UInt(bitPattern: buffer))
  var map = iommu_ioas_map()
  map.size = 40
  map.flags = UInt32(IOMMU_IOAS_MAP_READABLE.rawValue | IOMMU_IOAS_MAP_WRITEABLE.rawValue)
  map.ioas_id = ioas.out_ioas_id
  map.user_va = va
  map.length = 8192
  #expect(withUnsafeMutableBytes(of: &map) { file.ioctl(request: UInt(IOMMU_IOAS_MAP), argument: $0.baseAddress) } == 0)
  #expect(map.iova == 0)
  #expect(memory.readBytes(at: va + 8190, count: 2) == [0x5A, 0x5A])
  #expect(memory.readBytes(at: va + 8190, count: 3) == nil, "past the pinned range")
  #expect(memory.writeBytes([1, 2], at: va + 4096))
  #expect(buffer.load(fromByteOffset: 4096, as: UInt16.self) == 0x0201)
  let context = file.context
  file.close()
  #expect(memory.pinned.isEmpty)
  #expect(context.liveObjectCount == 0)
}
