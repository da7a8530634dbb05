import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD

/// What `struct cmdqv_window *` points at: an mmap of a region a vIOMMU
/// exported. For a Tegra241 VINTF it is the guest's MMIO window over page0;
/// for the selftest mock vIOMMU it is the mock's two pages of memory
/// (`mock_viommu->page`, read-only through the helpers).
final class CWindow {
  let owner: CSystem
  let mapping: MMapping
  /// The VINTF, or `nil` for a region that is not a VINTF page0.
  let vintf: Int?
  let window: MMIOWindow?

  init(owner: CSystem, mapping: MMapping) {
    self.owner = owner
    self.mapping = mapping
    // Page0 of VINTF i sits at CMDQV base + 0x30000 + i * 0x20000.
    let base = CMDQVSystem.cmdqvBasePhysical + 0x30000
    let pa = mapping.physicalAddress
    let count = UInt64(owner.system.device.configuration.numVINTFs)
    if pa >= base, (pa - base) % 0x20000 == 0, (pa - base) / 0x20000 < count {
      let vintf = Int((pa - base) / 0x20000)
      self.vintf = vintf
      window = owner.system.guestWindow(mapping, vintf: vintf)
    } else {
      vintf = nil
      window = nil
    }
  }

  func read32(_ offset: Int) -> UInt32 {
    if let window, let vintf { return window.read32(at: offset, from: .guest(vintf: vintf)) }
    guard offset >= 0, offset % 4 == 0, let mock = mapping.owner as? VIOMMU,
      let pages = (mock.ops as? SelftestVIOMMU)?.page, offset / 4 < pages.count
    else { return 0xFFFF_FFFF }
    return pages[offset / 4]
  }

  func write32(_ value: UInt32, _ offset: Int) {
    if let window, let vintf { window.write32(value, at: offset, from: .guest(vintf: vintf)) }
  }

  func read64(_ offset: Int) -> UInt64 {
    if let window, let vintf { return window.read64(at: offset, from: .guest(vintf: vintf)) }
    return UInt64(read32(offset)) | UInt64(read32(offset + 4)) << 32
  }

  func write64(_ value: UInt64, _ offset: Int) {
    if let window, let vintf { window.write64(value, at: offset, from: .guest(vintf: vintf)) }
  }
}
