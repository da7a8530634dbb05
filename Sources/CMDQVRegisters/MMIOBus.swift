/// A memory-mapped register aperture, addressed by byte offset from its base.
///
/// This is the seam between a driver and hardware, the way `readl`/`writel`/
/// `readq`/`writeq` are for a kernel driver. The hardware model implements it,
/// the driver layer consumes it, and a harness can wrap it (for tracing or
/// fault injection) without either side knowing.
///
/// Every access names its ``Initiator`` so the hardware can tell a host driver
/// write from a guest write through an mmapped VINTF page; the unlabelled
/// overloads in the extension use ``Initiator/host``.
///
/// Accesses never fail: like real MMIO, a bad access (unmapped offset, wrong
/// width, misaligned) reads as zero and is ignored by the device, which records
/// it as an access fault.
public protocol MMIOBus: AnyObject {
  /// `readl`: a 32-bit little-endian read at `offset`.
  func read32(at offset: Int, from initiator: Initiator) -> UInt32
  /// `writel`: a 32-bit little-endian write at `offset`.
  func write32(_ value: UInt32, at offset: Int, from initiator: Initiator)
  /// `readq`: a 64-bit little-endian read at `offset`.
  func read64(at offset: Int, from initiator: Initiator) -> UInt64
  /// `writeq`: a 64-bit little-endian write at `offset`.
  func write64(_ value: UInt64, at offset: Int, from initiator: Initiator)
}

extension MMIOBus {
  /// `readl` by the host.
  public func read32(at offset: Int) -> UInt32 { read32(at: offset, from: .host) }
  /// `writel` by the host.
  public func write32(_ value: UInt32, at offset: Int) { write32(value, at: offset, from: .host) }
  /// `readq` by the host.
  public func read64(at offset: Int) -> UInt64 { read64(at: offset, from: .host) }
  /// `writeq` by the host.
  public func write64(_ value: UInt64, at offset: Int) { write64(value, at: offset, from: .host) }
}
