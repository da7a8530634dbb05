import CMDQVRegisters

/// One virtual interface (`struct tegra241_vintf`): VINTF0 belongs to the host
/// kernel; VINTF1… back user vIOMMUs.
public final class Tegra241VINTF {
  public let index: Int
  let registers: VINTFRegisters
  /// `vintf->hyp_own`, read back from CONFIG after enabling.
  public internal(set) var hypervisorOwned = false
  /// `vsmmu.vmid`: the nesting parent's S2 VMID (0 for VINTF0).
  public internal(set) var vmid: UInt16 = 0
  /// Mirrors STATUS.ENABLE_OK as last read (`vintf->enabled`).
  public internal(set) var enabled = false
  /// Logical VCMDQs by lidx.
  public internal(set) var lvcmdqs: [Tegra241VCMDQ?]
  /// SID_MATCH/SID_REPLACE slots in use (`vintf->sids`).
  var sids = IDAllocator()
  /// The vSID programmed in each used slot.
  public internal(set) var slotVirtualSIDs: [Int: UInt32] = [:]
  /// The iommufd mmap offset of page0 (`vintf->mmap_offset`, 0 = none).
  public internal(set) var mmapOffset: UInt64 = 0

  init(index: Int, lvcmdqCount: Int, registers: VINTFRegisters) {
    self.index = index
    self.registers = registers
    self.lvcmdqs = Array(repeating: nil, count: lvcmdqCount)
  }
}

extension Tegra241VINTF: CustomStringConvertible {
  public var description: String {
    let queues = lvcmdqs.compactMap { $0 }.map { "LVCMDQ\($0.lidx)" }.joined(separator: ",")
    return "VINTF\(index) \(enabled ? "enabled" : "disabled") \(hypervisorOwned ? "hyp-own" : "guest-owned") vmid=\(vmid) queues=[\(queues)] sids=\(slotVirtualSIDs.count)"
  }
}
