import CMDQVRegisters

/// A read-only view of one command queue (a global VCMDQ or the SMMU CMDQ).
public struct VCMDQSnapshot: Hashable, Sendable {
  public var id: CommandQueueID
  /// Global VCMDQ index, `nil` for the SMMU CMDQ.
  public var index: Int?
  public var allocated: Bool
  /// CONFIG.CMDQ_EN (SMMU: CR0.CMDQEN).
  public var configEnabled: Bool
  /// STATUS.CMDQ_EN_OK (SMMU: CR0ACK.CMDQEN).
  public var enabled: Bool
  /// Allowed to consume now (all preconditions hold; errors aside).
  public var running: Bool
  public var base: UInt64
  public var log2Size: Int
  public var prod: UInt32
  public var cons: UInt32
  /// CONS.ERR.
  public var errorCode: UInt8
  public var gerror: UInt32
  public var gerrorn: UInt32
  /// Commands waiting between CONS and PROD.
  public var pending: Int

  /// Index part of PROD / CONS, and their wrap bits.
  public var prodIndex: UInt32 { prod & ((1 << UInt32(log2Size)) - 1) }
  public var prodWrap: Bool { prod >> UInt32(log2Size) & 1 != 0 }
  public var consIndex: UInt32 { cons & ((1 << UInt32(log2Size)) - 1) }
  public var consWrap: Bool { cons >> UInt32(log2Size) & 1 != 0 }
  public var errorPending: Bool { (gerror ^ gerrorn) & 0x7 != 0 }
}

extension VCMDQSnapshot: CustomStringConvertible {
  public var description: String {
    var s = index.map { "VCMDQ\($0) (\(id))" } ?? "\(id)"
    s += enabled ? " enabled" : (configEnabled ? " enabling" : " disabled")
    if index != nil { s += allocated ? " allocated" : " unallocated" }
    s += running ? " running" : ""
    s += " BASE=0x\(String(base, radix: 16)) size=\(1 << log2Size)"
    s += " PROD=\(prodIndex)/w\(prodWrap ? 1 : 0) CONS=\(consIndex)/w\(consWrap ? 1 : 0)"
    if errorCode != 0 { s += " ERR=\(errorCode)" }
    if errorPending {
      s += " error pending (GERROR=0x\(String(gerror, radix: 16)) GERRORN=0x\(String(gerrorn, radix: 16)))"
    }
    return s
  }
}
