/// Physical (DMA) memory as both the device and a driver see it: byte
/// addressed, little-endian, and possibly sparse.
///
/// Reads and writes of memory that is not backed fail (`nil` / `false`): the
/// device turns a failed queue fetch into `CERROR_ABT`; a driver sees the
/// failure the way it would see a bad DMA address.
public protocol PhysicalMemory: AnyObject {
  /// Reads `count` bytes at `address`, or `nil` if any byte is not backed.
  func readBytes(at address: UInt64, count: Int) -> [UInt8]?
  /// Writes `bytes` at `address`; `false` (and nothing written) if any byte is
  /// not backed.
  @discardableResult
  func writeBytes(_ bytes: [UInt8], at address: UInt64) -> Bool
}

extension PhysicalMemory {
  /// A little-endian 64-bit load, or `nil` if not backed.
  public func read64(at address: UInt64) -> UInt64? {
    guard let bytes = readBytes(at: address, count: 8) else { return nil }
    var value: UInt64 = 0
    for (i, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(i)) }
    return value
  }

  /// A little-endian 64-bit store; `false` if not backed.
  @discardableResult
  public func write64(_ value: UInt64, at address: UInt64) -> Bool {
    writeBytes((0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }, at: address)
  }
}
