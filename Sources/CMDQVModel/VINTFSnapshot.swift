import CMDQVRegisters

/// A read-only view of one VINTF at the moment it was taken.
public struct VINTFSnapshot: Hashable, Sendable {
  public var index: Int
  /// CONFIG.ENABLE as software last wrote it.
  public var configEnabled: Bool
  /// STATUS.ENABLE_OK.
  public var enabled: Bool
  public var hypervisorOwned: Bool
  public var vmid: UInt16
  /// Enabled SID pairs: (slot, virtual SID, physical SID).
  public var sidPairs: [SIDPair]
  /// Global VCMDQs assigned to this VINTF by CMDQ_ALLOC, by LVCMDQ index.
  public var lvcmdqs: [Int: Int]
  /// LVCMDQ indexes with an error pending.
  public var erroredLVCMDQs: [Int]

  public struct SIDPair: Hashable, Sendable {
    public var slot: Int
    public var virtualSID: UInt32
    public var physicalSID: UInt32
  }
}

extension VINTFSnapshot: CustomStringConvertible {
  public var description: String {
    var s = "VINTF\(index) \(enabled ? "enabled" : (configEnabled ? "enabling" : "disabled"))"
    s += " \(hypervisorOwned ? "HYP_OWN" : "guest-owned") VMID=\(vmid)"
    let queues = lvcmdqs.keys.sorted().map { "LVCMDQ\($0)=VCMDQ\(lvcmdqs[$0]!)" }
    if !queues.isEmpty { s += " [\(queues.joined(separator: ", "))]" }
    if !sidPairs.isEmpty {
      s += " SIDs[" + sidPairs.map { "0x\(String($0.virtualSID, radix: 16))->0x\(String($0.physicalSID, radix: 16))" }
        .joined(separator: ", ") + "]"
    }
    if !erroredLVCMDQs.isEmpty { s += " error pending on LVCMDQ \(erroredLVCMDQs)" }
    return s
  }
}
