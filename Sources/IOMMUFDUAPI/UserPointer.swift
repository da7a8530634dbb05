#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import IOMMUFD

/// `copy_from_user` / `copy_to_user` over the calling process's own memory.
///
/// A range any byte of which is not mapped in the process is `EFAULT`, as
/// the kernel's copy would fault, decided with `mincore(2)` before the
/// bytes are touched, so a bad pointer from a C caller never crashes the
/// model. A mapped but unreadable (`PROT_NONE`) or read-only page still
/// crashes on access: `mincore` does not report protections.
enum UserPointer {
  static let pageSize = 4096

  /// Whether every byte of `[address, address + count)` is mapped.
  static func isMapped(_ address: UInt64, count: Int) -> Bool {
    guard count > 0 else { return true }
    guard address != 0, !address.addingReportingOverflow(UInt64(count) - 1).overflow else { return false }
    let mask = UInt64(pageSize - 1)
    var page = address & ~mask
    let last = (address + UInt64(count) - 1) & ~mask
    var vector = [UInt8](repeating: 0, count: 256)
    while page <= last {
      let pages = min(UInt64(vector.count), (last - page) / UInt64(pageSize) + 1)
      guard let pointer = UnsafeMutableRawPointer(bitPattern: UInt(page)) else { return false }
      let rc = vector.withUnsafeMutableBufferPointer { mincore(pointer, Int(pages) * pageSize, $0.baseAddress) }
      guard rc == 0 else { return false }
      let (next, overflow) = page.addingReportingOverflow(pages * UInt64(pageSize))
      if overflow { break }
      page = next
    }
    return true
  }

  /// `copy_from_user`: `count` bytes at `address`; `EFAULT` if unmapped.
  static func read(_ address: UInt64, count: Int, _ what: String) throws(Errno) -> [UInt8] {
    guard count > 0 else { return [] }
    guard isMapped(address, count: count), let source = UnsafeRawPointer(bitPattern: UInt(address)) else {
      throw Errno.efault("\(what): 0x\(String(address, radix: 16)) +\(count) is not mapped")
    }
    return Array(UnsafeRawBufferPointer(start: source, count: count))
  }

  /// `copy_to_user`: `bytes` at `address`; `EFAULT` if unmapped.
  static func write(_ bytes: [UInt8], to address: UInt64, _ what: String) throws(Errno) {
    guard !bytes.isEmpty else { return }
    guard isMapped(address, count: bytes.count), let target = UnsafeMutableRawPointer(bitPattern: UInt(address))
    else {
      throw Errno.efault("\(what): 0x\(String(address, radix: 16)) +\(bytes.count) is not mapped")
    }
    bytes.withUnsafeBytes { target.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
  }

  /// `clear_user`: zeroes `count` bytes at `address`; `EFAULT` if unmapped.
  static func clear(_ address: UInt64, count: Int, _ what: String) throws(Errno) {
    guard count > 0 else { return }
    guard isMapped(address, count: count), let target = UnsafeMutableRawPointer(bitPattern: UInt(address)) else {
      throw Errno.efault("\(what): 0x\(String(address, radix: 16)) +\(count) is not mapped")
    }
    target.initializeMemory(as: UInt8.self, repeating: 0, count: count)
  }
}
