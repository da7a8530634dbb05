/// Where a ``GuestVM``'s RAM lives: guest-physical (IPA) and host-physical
/// addresses, and where its LVCMDQ rings sit inside that RAM.
public struct GuestLayout: Hashable, Sendable {
  /// Guest RAM base as the guest sees it (the nesting parent's IOVA).
  public var ramIPA: UInt64
  /// Host-physical backing of guest RAM (contiguous, so HW queues pass the
  /// contiguity check).
  public var ramPA: UInt64
  public var ramSize: UInt64
  /// IPA of LVCMDQ0's ring; ring `n` is `queueStride` further.
  public var queueIPA: UInt64
  public var queueStride: UInt64

  public init(
    ramIPA: UInt64 = 0x8000_0000, ramPA: UInt64 = 0x2_0000_0000, ramSize: UInt64 = 0x40_0000,
    queueIPA: UInt64 = 0x8010_0000, queueStride: UInt64 = 0x1_0000
  ) {
    self.ramIPA = ramIPA
    self.ramPA = ramPA
    self.ramSize = ramSize
    self.queueIPA = queueIPA
    self.queueStride = queueStride
  }

  /// The IPA of LVCMDQ `lidx`'s ring.
  public func queueAddress(_ lidx: Int) -> UInt64 { queueIPA + UInt64(lidx) * queueStride }
}
