import CMDQVRegisters

/// A user mapping returned by ``IOMMUFDContext/mmap(offset:length:shared:prot:)``
/// (one VMA). While it is mapped it holds a `users` reference on the region's
/// owner (`iommufd_fops_vma_open/close`), so destroying the vIOMMU fails with
/// `EBUSY`. ``munmap()`` drops it (idempotent).
public final class MMapping {
  /// The registered region this VMA maps.
  public let region: MMapRegion
  /// The owner object (the vIOMMU).
  public let owner: IOMMUFDObject
  /// `false` after ``munmap()``.
  public private(set) var isMapped = true
  private var windows: [MMIOWindow] = []
  weak var context: IOMMUFDContext?

  init(region: MMapRegion, owner: IOMMUFDObject, context: IOMMUFDContext) {
    self.region = region
    self.owner = owner
    self.context = context
  }

  /// The physical MMIO address of the mapping (`vm_pgoff` → `mmio_addr`).
  public var physicalAddress: UInt64 { region.physicalAddress }
  /// The length of the mapping.
  public var length: UInt64 { region.length }

  /// A guest-visible window over `bus`: offsets 0..<length forward to
  /// `physicalAddress - busBase` on `bus` as ``Initiator/guest(vintf:)``.
  /// The window goes dead (reads 0, ignores writes) after ``munmap()``.
  public func window(over bus: any MMIOBus, busBase: UInt64, vintf: Int) -> MMIOWindow {
    let start: Int? =
      physicalAddress >= busBase && physicalAddress - busBase <= UInt64(Int.max)
      ? Int(physicalAddress - busBase) : nil
    let window = MMIOWindow(base: bus, baseOffset: start, length: Int(clamping: length), vintf: vintf)
    if !isMapped { window.revoke() }
    windows.append(window)
    return window
  }

  /// `munmap()`: closes the VMA and drops the owner reference.
  public func munmap() {
    guard isMapped else { return }
    isMapped = false
    for window in windows { window.revoke() }
    context?.mappingClosed(self)
  }
}
