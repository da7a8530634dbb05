import CMDQVRegisters

/// A guest's view of an mmapped MMIO region (the VINTF page0 `io_remap_pfn_range`
/// mapping): offsets `0..<length` forward to `baseOffset + offset` on the base
/// bus, tagged ``Initiator/guest(vintf:)`` whatever the caller passed.
///
/// It never crashes: an access outside the window (negative, past the end,
/// straddling it, or after the mapping is gone) reads 0 and writes are
/// ignored; such accesses are counted in ``rejectedAccesses``.
public final class MMIOWindow: MMIOBus {
  /// The bus the window forwards to.
  public let base: any MMIOBus
  /// The window's start on the base bus (`nil`: not reachable on that bus).
  public let baseOffset: Int?
  /// The window size in bytes.
  public let length: Int
  /// The VINTF the guest accesses are attributed to.
  public let vintf: Int
  /// Accesses that were dropped (out of range or after munmap).
  public private(set) var rejectedAccesses = 0
  /// `true` once the mapping is gone.
  public private(set) var isRevoked = false

  public init(base: any MMIOBus, baseOffset: Int?, length: Int, vintf: Int) {
    self.base = base
    self.baseOffset = baseOffset
    self.length = max(0, length)
    self.vintf = vintf
  }

  func revoke() { isRevoked = true }

  private func translate(_ offset: Int, width: Int) -> Int? {
    guard !isRevoked, let baseOffset, offset >= 0, offset <= length - width else {
      rejectedAccesses += 1
      return nil
    }
    let (sum, overflow) = baseOffset.addingReportingOverflow(offset)
    if overflow {
      rejectedAccesses += 1
      return nil
    }
    return sum
  }

  public func read32(at offset: Int, from initiator: Initiator) -> UInt32 {
    guard let target = translate(offset, width: 4) else { return 0 }
    return base.read32(at: target, from: .guest(vintf: vintf))
  }

  public func write32(_ value: UInt32, at offset: Int, from initiator: Initiator) {
    guard let target = translate(offset, width: 4) else { return }
    base.write32(value, at: target, from: .guest(vintf: vintf))
  }

  public func read64(at offset: Int, from initiator: Initiator) -> UInt64 {
    guard let target = translate(offset, width: 8) else { return 0 }
    return base.read64(at: target, from: .guest(vintf: vintf))
  }

  public func write64(_ value: UInt64, at offset: Int, from initiator: Initiator) {
    guard let target = translate(offset, width: 8) else { return }
    base.write64(value, at: target, from: .guest(vintf: vintf))
  }
}
