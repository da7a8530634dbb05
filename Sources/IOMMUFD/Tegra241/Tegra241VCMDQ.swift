import CMDQVRegisters

/// One logical VCMDQ of a VINTF (`struct tegra241_vcmdq`): its global index,
/// its logical slot, and the queue behind it. Every register access goes
/// through the VINTF's logical pages, as the kernel does.
public final class Tegra241VCMDQ {
  /// Global VCMDQ index: `vintf * num_lvcmdqs_per_vintf + lidx`.
  public let index: Int
  public let vintfIndex: Int
  /// Logical index within the VINTF.
  public let lidx: Int
  /// Page0/page1 registers through `TEGRA241_VINTFi_LVCMDQ_PAGE0/1(i, lidx)`.
  let page0: VCMDQPage0Registers
  let page1: VCMDQPage1Registers
  /// `q_base`: address bits [47:5] | LOG2SIZE.
  public internal(set) var queueBase: UInt64 = 0
  /// The producer for a kernel-owned queue (`nil` for a user queue, which the
  /// guest drives).
  var producer: CommandQueueProducer?
  /// Mirrors STATUS.CMDQ_EN_OK as last read (`vcmdq->enabled`).
  public internal(set) var enabled = false
  /// The LVCMDQ this one depends on (`vcmdq->prev`, user queues).
  weak var previous: Tegra241VCMDQ?
  /// `supports_cmd`: set when the VINTF is not hypervisor-owned.
  var guestFilter = false

  init(index: Int, vintf: Int, lidx: Int, registers: Tegra241CMDQVRegisters) {
    self.index = index
    self.vintfIndex = vintf
    self.lidx = lidx
    self.page0 = registers.vintfLVCMDQPage0(vintf: vintf, lvcmdq: lidx)
    self.page1 = registers.vintfLVCMDQPage1(vintf: vintf, lvcmdq: lidx)
  }

  /// `lvcmdq_error_header`: `VINTF1: VCMDQ2/LVCMDQ0: `.
  var header: String { "VINTF\(vintfIndex): VCMDQ\(index)/LVCMDQ\(lidx): " }
}

extension Tegra241VCMDQ: CustomStringConvertible {
  public var description: String {
    "VINTF\(vintfIndex)/VCMDQ\(index)/LVCMDQ\(lidx) base=0x\(String(queueBase, radix: 16)) \(enabled ? "enabled" : "disabled")"
  }
}
