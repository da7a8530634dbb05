import CMDQVRegisters
import IOMMUFD

/// `struct mock_viommu` and its `iommufd_viommu_ops`.
final class MockVIOMMU: VIOMMUOps {
  unowned let viommu: VIOMMU
  weak var context: IOMMUFDContext?
  let mmapOffset: UInt64
  var hwQueues: [Int: HWQueue] = [:]
  /// `IOMMU_TEST_HW_QUEUE_MAX` (2 in the selftest).
  var maxQueues = Int(IOMMUTest.hwQueueMax)
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
  /// New nested domains model a NULL `cache_invalidate_user`.
  var nestedDomainsLackUserInvalidation = false
  /// Skip the depend call in hw_queue_init_phys (to test driver bugs).
  var dependOnPrevious = true
  /// Fail hw_queue_init_phys after a successful depend without undoing it.
  var leakDependOnFailure = false
  var invalidated: [SMMUCommand] = []
  /// Called at the start of hw_queue_init_phys.
  var onHWQueueInit: ((HWQueue) -> Void)?

  init(viommu: VIOMMU, context: IOMMUFDContext, mmapOffset: UInt64) {
    self.viommu = viommu
    self.context = context
    self.mmapOffset = mmapOffset
  }

  func destroy(_ viommu: VIOMMU) {
    destroyed = true
    context?.destroyMMap(viommu: viommu, offset: mmapOffset)
  }

  /// A test double for `cache_invalidate` over SMMUv3 commands: an empty
  /// array of the right type is a type probe (as in
  /// `mock_viommu_cache_invalidate`, selftest.c, v6.17); otherwise the full
  /// array is copied with the kernel helper, TLBI/ATC/CFGI commands are
  /// accepted, and the first other opcode stops with `EINVAL` and its index.
  func cacheInvalidate(_ viommu: VIOMMU, array: inout UserDataArray) throws(Errno) {
    if array.entryNum == 0 && array.type == UserDataArray.typeARMSMMUv3 { return }
    try array.kcalloc(entrySize: 16)
    var handled = 0
    defer { array.entryNum = UInt32(handled) }
    let entries = try array.copyFullArray(entrySize: 16, type: UserDataArray.typeARMSMMUv3)
    for (i, bytes) in entries.enumerated() {
      let command = SMMUCommand(bytes: bytes)
      guard let op = command.opcode, op != .sync, op != .cfgiSTE else {
        throw Errno.einval("mock cache_invalidate: entry \(i) \(command) not supported")
      }
      invalidated.append(command)
      handled = i + 1
    }
  }

  func allocDomainNested(_ viommu: VIOMMU, flags: HWPTAllocFlags, data: HWPTUserData) throws(Errno)
    -> any NestedDomain
  {
    guard flags.isSubset(of: .pasid) else { throw Errno.eopnotsupp("mock: flags 0x\(flags.rawValue)") }
    let domain = try SelftestNestedDomain.allocate(data: data)
    return nestedDomainsLackUserInvalidation ? DomainWithoutUserInvalidation(domain) : domain
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
    return type == IOMMUTest.hwQueueType ? HWQueue.coreStructSize + 32 : 0
  }

  /// `mock_hw_queue_init_phys` (C.11).
  func hwQueueInitPhys(_ queue: HWQueue, index: UInt32, basePhysicalAddress: UInt64) throws(Errno) {
    onHWQueueInit?(queue)
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

/// A nested domain whose `cache_invalidate_user` is NULL: the selftest mock
/// domain's attach, without its invalidation.
final class DomainWithoutUserInvalidation: NestedDomain {
  let inner: SelftestNestedDomain
  init(_ inner: SelftestNestedDomain) { self.inner = inner }
  func attach(_ device: IOMMUFDDevice, to hwpt: HWPTNested) throws(Errno) -> PhysicalSTE? {
    try inner.attach(device, to: hwpt)
  }
}
