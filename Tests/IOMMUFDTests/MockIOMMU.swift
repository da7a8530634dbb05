import CMDQVRegisters
import IOMMUFD

/// Selftest constants (kernel-facts C.11, iommufd_test.h).
enum Selftest {
  static let viommuType: UInt32 = 0xdead_beef
  static let hwQueueType: UInt32 = 0xdead_beef
  static let veventqType: UInt32 = 0xbeef_beef
  static let hwInfoType: UInt32 = 0xfeed_beef
  static let hwQueueMax = 2
}

/// A physical IOMMU modelled on the kernel selftest mock (`mock_viommu_*`,
/// `mock_hw_queue_*`), with knobs to make it return the "driver bug" values
/// the core's WARN rows check.
final class MockIOMMU: IOMMUDriver {
  let name: String
  let streamIDs: ClosedRange<UInt32>
  let vmids: VMIDAllocator
  /// Where this IOMMU's MMIO pages live (for the mmap registry).
  let mmioBase: UInt64
  var supportsVIOMMU = true
  /// Overrides `get_viommu_size` (nil: the default per type).
  var viommuSizeOverride: Int?
  /// `viommu_init` fails with this errno (after registering its mmap, which
  /// it destroys on the way out).
  var viommuInitError: Errno?
  /// `viommu_init` "forgets" to set `ops` (C.6 row 9).
  var viommuInitLeavesOpsNil = false
  /// Called inside `viommu_init` (to observe the reserved ID).
  var onViommuInit: ((VIOMMU) -> Void)?
  /// Configures each new mock vIOMMU.
  var configureVIOMMU: ((MockVIOMMU) -> Void)?
  private(set) var viommus: [MockVIOMMU] = []
  weak var context: IOMMUFDContext?

  init(name: String = "mock0", streamIDs: ClosedRange<UInt32> = 0...0xFF, mmioBase: UInt64 = 0x1_0000_0000, vmidBits: Int = 16) {
    self.name = name
    self.streamIDs = streamIDs
    self.mmioBase = mmioBase
    self.vmids = VMIDAllocator(bits: vmidBits)
  }

  func ownsStreamID(_ streamID: UInt32) -> Bool { streamIDs.contains(streamID) }

  func hwInfo(device: IOMMUFDDevice, type: UInt32) throws(Errno) -> HWInfo {
    guard type == 0 || type == Selftest.hwInfoType else {
      throw Errno.eopnotsupp("mock hw_info: type \(type)")
    }
    // struct iommu_test_hw_info { __u32 flags; __u32 test_reg; }
    return HWInfo(type: Selftest.hwInfoType, data: [0, 0, 0, 0, 0xEF, 0xBE, 0xAD, 0xDE])
  }

  func viommuSize(device: IOMMUFDDevice, type: UInt32) -> Int {
    if let viommuSizeOverride { return viommuSizeOverride }
    return type == Selftest.viommuType ? VIOMMU.coreStructSize + 64 : 0
  }

  func viommuInit(_ viommu: VIOMMU, userData: [UInt8]) throws(Errno) -> VIOMMUDriverOutput {
    onViommuInit?(viommu)
    // arm_vsmmu_init: s2_parent->smmu != smmu → -EINVAL
    guard viommu.hwpt.driver === self else { throw Errno.einval("mock viommu_init: S2 parent on another IOMMU") }
    guard let context = viommu.context else { throw Errno.einval("no context") }
    let pagePA = mmioBase + UInt64(viommus.count) * 0x2_0000
    let offset = try context.allocMMap(viommu: viommu, physicalAddress: pagePA, length: 2 * IOAS.pageSize)
    if let viommuInitError {
      context.destroyMMap(viommu: viommu, offset: offset)
      throw viommuInitError
    }
    let mock = MockVIOMMU(viommu: viommu, context: context, mmapOffset: offset)
    configureVIOMMU?(mock)
    viommus.append(mock)
    if !viommuInitLeavesOpsNil { viommu.ops = mock }
    return VIOMMUDriverOutput(mmapOffset: offset, mmapLength: 2 * IOAS.pageSize, data: userData)
  }
}

/// `struct mock_viommu` and its `iommufd_viommu_ops`.
final class MockVIOMMU: VIOMMUOps {
  unowned let viommu: VIOMMU
  weak var context: IOMMUFDContext?
  let mmapOffset: UInt64
  var hwQueues: [Int: HWQueue] = [:]
  /// `IOMMU_TEST_HW_QUEUE_MAX` (2 in the selftest).
  var maxQueues = Selftest.hwQueueMax
  var destroyed = false

  // Knobs.
  var supportsHWQueues = true
  var hwQueueSizeOverride: Int?
  var vdeviceSize = 0
  var supportsVDeviceInit = false
  var vdeviceInitError: Errno?
  /// vdevice_init sets a destroy callback that records here.
  var destroyedVDevices: [UInt64] = []
  var onVDeviceDestroy: ((VDevice) -> Void)?
  var supportsCacheInvalidate = true
  var supportsNestedDomains = true
  /// Skip the depend call in hw_queue_init_phys (to test driver bugs).
  var dependOnPrevious = true
  /// Fail hw_queue_init_phys after a successful depend without undoing it.
  var leakDependOnFailure = false
  var invalidated: [SMMUCommand] = []

  init(viommu: VIOMMU, context: IOMMUFDContext, mmapOffset: UInt64) {
    self.viommu = viommu
    self.context = context
    self.mmapOffset = mmapOffset
  }

  func destroy(_ viommu: VIOMMU) {
    destroyed = true
    context?.destroyMMap(viommu: viommu, offset: mmapOffset)
  }

  /// `mock_viommu_cache_invalidate`: accepts TLBI/ATC/CFGI commands, stops
  /// at the first other opcode with `-EINVAL` and reports the index.
  func cacheInvalidate(_ viommu: VIOMMU, commands: [SMMUCommand], handled: inout Int) throws(Errno) {
    for (i, command) in commands.enumerated() {
      guard let op = command.opcode, op != .sync, op != .cfgiSTE else {
        handled = i
        throw Errno.einval("mock cache_invalidate: entry \(i) \(command) not supported")
      }
      invalidated.append(command)
    }
    handled = commands.count
  }

  func vdeviceInit(_ vdevice: VDevice) throws(Errno) {
    if let vdeviceInitError { throw vdeviceInitError }
    vdevice.destroy = { [weak self] vdev in
      self?.destroyedVDevices.append(vdev.virtID)
      self?.onVDeviceDestroy?(vdev)
    }
  }

  func hwQueueSize(_ viommu: VIOMMU, type: UInt32) -> Int {
    if let hwQueueSizeOverride { return hwQueueSizeOverride }
    return type == Selftest.hwQueueType ? HWQueue.coreStructSize + 32 : 0
  }

  /// `mock_hw_queue_init_phys` (C.11).
  func hwQueueInitPhys(_ queue: HWQueue, index: UInt32, basePhysicalAddress: UInt64) throws(Errno) {
    guard Int(index) < maxQueues else { throw Errno.einval("mock: index \(index) >= \(maxQueues)") }
    guard hwQueues[Int(index)] == nil else { throw Errno.eexist("mock: slot \(index) used") }
    let previous = index > 0 ? hwQueues[Int(index) - 1] : nil as HWQueue?
    if index > 0 && previous == nil { throw Errno.eio("mock: queue \(index - 1) missing") }
    guard basePhysicalAddress == viommu.hwpt.ioas.physicalAddress(of: queue.baseAddress) else {
      throw Errno.efault("mock: base_addr_pa 0x\(String(basePhysicalAddress, radix: 16)) != iova_to_phys")
    }
    if let previous, dependOnPrevious {
      try context!.depend(queue, on: previous)
      if leakDependOnFailure { throw Errno.eio("mock: injected failure after depend") }
    }
    hwQueues[Int(index)] = queue
    queue.destroy = { [weak self] q in
      guard let self else { return }
      self.hwQueues[Int(q.index)] = nil
      if let previous, self.dependOnPrevious { self.context?.undepend(q, on: previous) }
    }
  }
}
