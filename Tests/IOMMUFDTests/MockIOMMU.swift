import CMDQVRegisters
import IOMMUFD

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

  /// What viommu_init copies back (default: the user's bytes, echoed).
  var viommuOutput: [UInt8]?

  init(name: String = "mock0", streamIDs: ClosedRange<UInt32> = 0...0xFF, mmioBase: UInt64 = 0x1_0000_0000, vmidBits: Int = 16) {
    self.name = name
    self.streamIDs = streamIDs
    self.mmioBase = mmioBase
    self.vmids = VMIDAllocator(bits: vmidBits)
  }

  func ownsStreamID(_ streamID: UInt32) -> Bool { streamIDs.contains(streamID) }

  func hwInfo(device: IOMMUFDDevice, type: UInt32) throws(Errno) -> HWInfo {
    guard type == 0 || type == IOMMUTest.hwInfoType else {
      throw Errno.eopnotsupp("mock hw_info: type \(type)")
    }
    // struct iommu_test_hw_info { __u32 flags; __u32 test_reg; }
    return HWInfo(type: IOMMUTest.hwInfoType, data: [0, 0, 0, 0, 0xEF, 0xBE, 0xAD, 0xDE])
  }

  func viommuSize(device: IOMMUFDDevice, type: UInt32) -> Int {
    if let viommuSizeOverride { return viommuSizeOverride }
    return type == IOMMUTest.viommuType ? VIOMMU.coreStructSize + 64 : 0
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
    return VIOMMUDriverOutput(data: viommuOutput ?? userData)
  }
}
