import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD

/// What `struct cmdqv_window *` points at: an mmap of a VINTF page0 and the
/// guest's MMIO window over it.
final class CWindow {
  let owner: CSystem
  let mapping: MMapping
  let window: MMIOWindow
  let vintf: Int

  init(owner: CSystem, mapping: MMapping) {
    self.owner = owner
    self.mapping = mapping
    // Page0 of VINTF i sits at CMDQV base + 0x30000 + i * 0x20000.
    vintf = Int((mapping.physicalAddress - CMDQVSystem.cmdqvBasePhysical - 0x30000) / 0x20000)
    window = owner.system.guestWindow(mapping, vintf: vintf)
  }

  var initiator: Initiator { .guest(vintf: vintf) }
}
