import CCMDQV
import CMDQVTestSupport
import Glibc
import IOMMUFD
import IOMMUFDUAPI
import Testing

/// A booted system with an iommufd opened at byte level, and helpers that
/// pass structs the way a C caller does.
final class UAPIFixture {
  let system: CMDQVSystem
  let file: IOMMUFDFile
  let descriptors = NumberedDescriptors()
  /// Page-aligned buffers owned by the fixture (freed at deinit).
  private var buffers: [UnsafeMutableRawPointer] = []

  init(selftest: Bool = false) throws {
    system = try CMDQVSystem(selftest: selftest)
    file = system.openIOMMUFD(descriptors: descriptors)
  }

  deinit {
    if !file.isClosed { file.close() }
    for buffer in buffers { free(buffer) }
  }

  /// A zeroed, page-aligned buffer of `length` bytes.
  func buffer(_ length: Int) -> UnsafeMutableRawPointer {
    var pointer: UnsafeMutableRawPointer?
    precondition(posix_memalign(&pointer, 4096, length) == 0, "posix_memalign failed")
    pointer!.initializeMemory(as: UInt8.self, repeating: 0, count: length)
    buffers.append(pointer!)
    return pointer!
  }

  /// `ioctl(fd, request, &value)` with `value.size` preset to its size
  /// (unless `size` says otherwise); returns the errno (0 = success).
  @discardableResult
  func call<T>(_ request: Int32, _ value: inout T, size: Int? = nil) -> Int32 {
    withUnsafeMutableBytes(of: &value) { bytes in
      bytes.storeBytes(of: UInt32(size ?? bytes.count), as: UInt32.self)
      return file.ioctl(request: UInt(UInt32(bitPattern: request)), argument: bytes.baseAddress)
    }
  }

  /// `call` that must succeed.
  func ok<T>(_ request: Int32, _ value: inout T, sourceLocation: SourceLocation = #_sourceLocation) {
    let rc = call(request, &value)
    #expect(rc == 0, "ioctl 0x\(String(request, radix: 16)) failed: \(file.lastError.map(String.init(describing:)) ?? "?")", sourceLocation: sourceLocation)
  }

  func ioasAlloc() -> UInt32 {
    var cmd = iommu_ioas_alloc()
    ok(IOMMU_IOAS_ALLOC, &cmd)
    return cmd.out_ioas_id
  }

  /// Maps `length` bytes of a fresh buffer at `iova`; returns the buffer.
  func mapBuffer(ioas: UInt32, iova: UInt64, length: Int) -> UnsafeMutableRawPointer {
    let memory = buffer(length)
    var map = iommu_ioas_map()
    map.flags = UInt32(IOMMU_IOAS_MAP_FIXED_IOVA.rawValue | IOMMU_IOAS_MAP_READABLE.rawValue | IOMMU_IOAS_MAP_WRITEABLE.rawValue)
    map.ioas_id = ioas
    map.user_va = UInt64(UInt(bitPattern: memory))
    map.length = UInt64(length)
    map.iova = iova
    ok(IOMMU_IOAS_MAP, &map)
    return memory
  }

  struct VM {
    var ioas: UInt32
    var device: UInt32
    var hwpt: UInt32
    var viommu: UInt32
    var mmapOffset: UInt64
    var mmapLength: UInt64
    var ram: UnsafeMutableRawPointer
  }

  static let ramIOVA: UInt64 = 0x8000_0000
  static let ramSize = 1 << 20

  /// The VMM sequence up to IOMMU_VIOMMU_ALLOC, all through the byte layer
  /// except the VFIO bind/attach (not iommufd ioctls).
  func vm(streamID: UInt32 = 0x100) throws -> VM {
    let ioas = ioasAlloc()
    let ram = mapBuffer(ioas: ioas, iova: Self.ramIOVA, length: Self.ramSize)
    let device = try system.context.bindDevice(streamIDs: [streamID])
    var hwpt = iommu_hwpt_alloc()
    hwpt.flags = UInt32(IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue)
    hwpt.dev_id = device
    hwpt.pt_id = ioas
    ok(IOMMU_HWPT_ALLOC, &hwpt)
    try system.context.vfioAttachPT(device: device, pt: hwpt.out_hwpt_id)
    var data = iommu_viommu_tegra241_cmdqv()
    var viommu = iommu_viommu_alloc()
    viommu.type = UInt32(IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV.rawValue)
    viommu.dev_id = device
    viommu.hwpt_id = hwpt.out_hwpt_id
    viommu.data_len = 16
    withUnsafeMutableBytes(of: &data) { viommu.data_uptr = UInt64(UInt(bitPattern: $0.baseAddress)) }
    let rc = withUnsafeMutableBytes(of: &data) { bytes in
      viommu.data_uptr = UInt64(UInt(bitPattern: bytes.baseAddress))
      return call(IOMMU_VIOMMU_ALLOC, &viommu)
    }
    #expect(rc == 0, "IOMMU_VIOMMU_ALLOC: \(String(describing: file.lastError))")
    return VM(
      ioas: ioas, device: device, hwpt: hwpt.out_hwpt_id, viommu: viommu.out_viommu_id,
      mmapOffset: data.out_vintf_mmap_offset, mmapLength: data.out_vintf_mmap_length, ram: ram)
  }
}
