import CMDQVModel
import CMDQVRegisters
import IOMMUFD

/// The VMM side of one VM with an accelerated vSMMU, driven the way QEMU
/// does it (QEMU hw/arm/tegra241-cmdqv.c, the lifecycle in its overview comment): IOAS with guest RAM → bind the
/// passthrough device (pSID) → nest-parent HWPT → vIOMMU of type
/// TEGRA241_CMDQV (a VINTF) → mmap of its page0 → vDEVICE (vSID) → nested
/// HWPT from the guest's STE, the device attached to it → vEVENTQ → HW
/// queues, plus the guest's own LVCMDQ drivers. The device is attached to
/// the nest-parent HWPT from the start (`VFIO_DEVICE_ATTACH_IOMMUFD_PT`), as
/// QEMU does; none of the attaches programs the CMDQV.
public final class GuestVM {
  public let system: CMDQVSystem
  public let layout: GuestLayout
  public let ioas: UInt32
  public let device: UInt32
  public let hwpt: UInt32
  public let viommu: VIOMMUAllocation
  /// The SMMU (with its CMDQV) the device is behind.
  public let instance: CMDQVSystem.Instance
  /// The VINTF backing the vIOMMU (from the mmapped page0 address).
  public let vintf: Int
  public let mapping: MMapping
  /// The guest's view of its VINTF page0.
  public let window: MMIOWindow
  /// Guest memory (IPA).
  public let memory: TranslatedMemory
  public private(set) var vdevice: UInt32?
  /// The nested HWPT allocated from the guest's STE by ``addVDevice(virtualStreamID:guestSTE:)``.
  public private(set) var nestedHWPT: UInt32?
  public private(set) var eventQueue: UInt32?
  /// HW queue object IDs by LVCMDQ index.
  public private(set) var hwQueues: [UInt32] = []
  /// The guest's drivers for its LVCMDQs, by index.
  public private(set) var queues: [GuestLVCMDQ] = []

  /// Sets up everything up to the mmap of page0. Errors are the ioctls';
  /// a failure undoes what was already created (a VMM would), so the
  /// device's StreamID can be bound again.
  public init(system: CMDQVSystem, physicalStreamID: UInt32, layout: GuestLayout = GuestLayout()) throws(Errno) {
    self.system = system
    self.layout = layout
    let ctx = system.context
    system.device.memory.backRange(base: layout.ramPA, length: layout.ramSize)
    var undo: [() -> Void] = []
    do throws(Errno) {
      let ioas = try ctx.allocIOAS()
      undo.append { try? ctx.destroy(ioas) }
      try ctx.ioasMap(ioas: ioas, iova: layout.ramIPA, length: layout.ramSize, physicalAddress: layout.ramPA)
      let device = try ctx.bindDevice(streamIDs: [physicalStreamID])
      undo.append { try? ctx.unbindDevice(device) }
      let hwpt = try ctx.allocHWPT(device: device, pt: ioas, flags: .nestParent)
      undo.append { try? ctx.destroy(hwpt) }
      try ctx.vfioAttachPT(device: device, pt: hwpt)
      undo.append { try? ctx.detachDevice(device) }
      let viommu = try ctx.allocVIOMMU(
        device: device, hwpt: hwpt, type: Tegra241IOMMUDriver.viommuTypeTegra241CMDQV,
        data: Tegra241VIOMMUData().bytes)
      undo.append { try? ctx.destroy(viommu.id) }
      guard let out = viommu.tegra241 else { throw Errno.einval("IOMMU_VIOMMU_ALLOC returned no TEGRA241_CMDQV data") }
      let mapping = try ctx.mmap(offset: out.vintfMMapOffset, length: out.vintfMMapLength)
      (self.ioas, self.device, self.hwpt, self.viommu, self.mapping) = (ioas, device, hwpt, viommu, mapping)
    } catch {
      for step in undo.reversed() { step() }
      throw error
    }
    instance = system.instance(containing: mapping.physicalAddress) ?? system.instances[0]
    vintf = Int((mapping.physicalAddress - instance.cmdqvBasePhysical - 0x30000) / 0x20000)
    window = system.guestWindow(mapping, vintf: vintf)
    memory = system.guestMemory(ioas: ioas)
  }

  /// A guest STE (`ste[0]`, `ste[1]`) of a guest whose SMMU driver has not
  /// yet installed a CD table: V | CONFIG=BYPASS (the S2 translation only).
  public static let bypassSTE: (UInt64, UInt64) = (0x9, 0)

  /// `IOMMU_VDEVICE_ALLOC` (the guest's vSID for the device), then what a
  /// VMM does when the guest installs the device's STE: `IOMMU_HWPT_ALLOC`
  /// on the vIOMMU with the vSTE (`IOMMU_HWPT_DATA_ARM_SMMUV3`) and
  /// `VFIO_DEVICE_ATTACH_IOMMUFD_PT` of the device to that nested HWPT.
  public func addVDevice(virtualStreamID: UInt64, guestSTE: (UInt64, UInt64) = GuestVM.bypassSTE) throws(Errno) {
    let ctx = system.context
    vdevice = try ctx.allocVDevice(viommu: viommu.id, device: device, virtID: virtualStreamID)
    let nested = try ctx.allocHWPT(
      device: device, pt: viommu.id, data: .armSMMUv3(ste0: guestSTE.0, ste1: guestSTE.1))
    nestedHWPT = nested
    try ctx.vfioAttachPT(device: device, pt: nested)
  }

  /// `IOMMU_VEVENTQ_ALLOC` of type TEGRA241_CMDQV.
  public func addEventQueue(depth: UInt32 = 16) throws(Errno) {
    eventQueue = try system.context.allocVEventQueue(
      viommu: viommu.id, type: Tegra241IOMMUDriver.veventqTypeTegra241CMDQV, depth: depth)
  }

  /// `IOMMU_HW_QUEUE_ALLOC` for the next LVCMDQ index (ascending), with a
  /// ring of `1 << log2Size` entries in guest RAM; returns the guest's driver
  /// for it (not yet enabled).
  @discardableResult
  public func addQueue(log2Size: Int = 8) throws(Errno) -> GuestLVCMDQ {
    let lidx = queues.count
    let ipa = layout.queueAddress(lidx)
    let id = try system.context.allocHWQueue(
      viommu: viommu.id, type: Tegra241IOMMUDriver.hwQueueTypeTegra241CMDQV, index: UInt32(lidx),
      nestingParentIOVA: ipa, length: UInt64(16) << UInt64(log2Size))
    let queue = GuestLVCMDQ(
      window: window, lidx: lidx, vintf: vintf, memory: memory, clock: instance.clock, queueAddress: ipa,
      log2Size: log2Size)
    hwQueues.append(id)
    queues.append(queue)
    return queue
  }

  /// Destroys the HW queues in descending order (the only order the
  /// dependencies allow).
  public func destroyQueues() throws(Errno) {
    while let id = hwQueues.last {
      try system.context.destroy(id)
      hwQueues.removeLast()
      queues.removeLast()
    }
  }

  /// `read()` on the vEVENTQ.
  public func readEvents() throws(Errno) -> [VEvent] {
    guard let eventQueue else { return [] }
    return try system.context.readEvents(eventQueue)
  }

  /// Tears everything down in dependency order: queues (descending), munmap,
  /// vEVENTQ, the device back to the nest parent and the nested HWPT,
  /// vDEVICE, vIOMMU, detach, HWPT, device, IOAS.
  public func tearDown() throws(Errno) {
    try destroyQueues()
    mapping.munmap()
    if let eventQueue { try system.context.destroy(eventQueue) }
    eventQueue = nil
    if let nestedHWPT {
      try system.context.vfioAttachPT(device: device, pt: hwpt)
      try system.context.destroy(nestedHWPT)
    }
    nestedHWPT = nil
    if let vdevice { try system.context.destroy(vdevice) }
    vdevice = nil
    try system.context.destroy(viommu.id)
    try system.context.detachDevice(device)
    try system.context.destroy(hwpt)
    try system.context.unbindDevice(device)
    try system.context.destroy(ioas)
  }
}
