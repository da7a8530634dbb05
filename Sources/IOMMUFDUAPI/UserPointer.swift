#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import CCMDQVSupport
import IOMMUFD

/// `copy_from_user` / `copy_to_user` over the calling process's own memory.
///
/// Copies go through `process_vm_readv`/`process_vm_writev` on the process
/// itself, which stop at the first page that cannot be read (unmapped or
/// `PROT_NONE`) or written (read-only) instead of faulting, so a bad pointer
/// from a C caller is `EFAULT`, as in the kernel, and never crashes the
/// model. Where the kernel refuses those calls (some seccomp policies), the
/// fallback asks `mincore(2)` whether the pages are mapped, which does not
/// see protections.
enum UserPointer {
  static let pageSize = 4096

  /// Whether the process_vm calls work here (decided on first use).
  nonisolated(unsafe) static var processVMWorks: Bool?

  /// Whether every byte of `[address, address + count)` is mapped
  /// (`mincore(2)`; protections are not checked).
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

  /// The readable prefix of the `count` bytes at `address` (shorter than
  /// `count` when a page on the way cannot be read; empty for NULL).
  static func readPrefix(_ address: UInt64, count: Int) -> [UInt8] {
    guard count > 0, address != 0, !address.addingReportingOverflow(UInt64(count) - 1).overflow else { return [] }
    var out = [UInt8](repeating: 0, count: count)
    if processVMWorks != false {
      let n = out.withUnsafeMutableBytes { cmdqv_support_read_self($0.baseAddress, UInt(address), UInt(count)) }
      if n >= 0 {
        processVMWorks = true
        out.removeLast(count - n)
        return out
      }
      if errno == EFAULT {
        processVMWorks = true
        return []
      }
      processVMWorks = false
    }
    // Fallback: the mapped prefix, page by page.
    var readable = 0
    let mask = UInt64(pageSize - 1)
    while readable < count {
      let at = address + UInt64(readable)
      let inPage = min(count - readable, pageSize - Int(at & mask))
      guard isMapped(at, count: 1) else { break }
      readable += inPage
    }
    out.removeLast(count - readable)
    if readable > 0 {
      out.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: UnsafeRawPointer(bitPattern: UInt(address))!, byteCount: readable) }
    }
    return out
  }

  /// Writes `bytes` at `address`; returns how many were written before a
  /// page that cannot be written.
  static func writePrefix(_ bytes: [UInt8], to address: UInt64) -> Int {
    guard !bytes.isEmpty, address != 0, !address.addingReportingOverflow(UInt64(bytes.count) - 1).overflow
    else { return 0 }
    if processVMWorks != false {
      let n = bytes.withUnsafeBytes { cmdqv_support_write_self(UInt(address), $0.baseAddress, UInt(bytes.count)) }
      if n >= 0 {
        processVMWorks = true
        return n
      }
      if errno == EFAULT {
        processVMWorks = true
        return 0
      }
      processVMWorks = false
    }
    guard isMapped(address, count: bytes.count), let target = UnsafeMutableRawPointer(bitPattern: UInt(address)) else {
      return 0
    }
    bytes.withUnsafeBytes { target.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    return bytes.count
  }

  /// Whether all `count` bytes at `address` can be read, checked in
  /// bounded chunks (what pinning user pages needs).
  static func isReadable(_ address: UInt64, count: Int) -> Bool {
    guard isMapped(address, count: count) else { return false }
    var done = 0
    while done < count {
      let chunk = min(count - done, 1 << 16)
      guard readPrefix(address + UInt64(done), count: chunk).count == chunk else { return false }
      done += chunk
    }
    return true
  }

  /// How many of the `count` bytes at `address` can be written, found
  /// without changing them (each chunk is read and written back as it was),
  /// in bounded chunks.
  static func writableLength(_ address: UInt64, upTo count: Int) -> Int {
    var done = 0
    while done < count {
      let chunk = min(count - done, 1 << 16)
      let bytes = readPrefix(address + UInt64(done), count: chunk)
      let written = writePrefix(bytes, to: address + UInt64(done))
      done += written
      if written < chunk { break }
    }
    return done
  }

  /// `copy_from_user`: `count` bytes at `address`; `EFAULT` if any cannot be read.
  static func read(_ address: UInt64, count: Int, _ what: String) throws(Errno) -> [UInt8] {
    guard count > 0 else { return [] }
    let bytes = readPrefix(address, count: count)
    guard bytes.count == count else {
      throw Errno.efault("\(what): 0x\(String(address, radix: 16)) +\(count) cannot be read (fault at byte \(bytes.count))")
    }
    return bytes
  }

  /// `copy_to_user`: `bytes` at `address`; `EFAULT` if any cannot be written.
  static func write(_ bytes: [UInt8], to address: UInt64, _ what: String) throws(Errno) {
    guard !bytes.isEmpty else { return }
    let n = writePrefix(bytes, to: address)
    guard n == bytes.count else {
      throw Errno.efault("\(what): 0x\(String(address, radix: 16)) +\(bytes.count) cannot be written (fault at byte \(n))")
    }
  }

  /// `clear_user`: zeroes `count` bytes at `address`; `EFAULT` on a fault.
  static func clear(_ address: UInt64, count: Int, _ what: String) throws(Errno) {
    var done = 0
    while done < count {
      let chunk = min(count - done, 1 << 16)
      try write([UInt8](repeating: 0, count: chunk), to: address + UInt64(done), what)
      done += chunk
    }
  }

  /// `check_zeroed_user`: whether the `count` bytes at `address` are all
  /// zero, read in bounded chunks; `EFAULT` on a fault. Returns the offset
  /// of the first non-zero byte, or `nil`.
  static func firstNonZero(_ address: UInt64, count: Int, _ what: String) throws(Errno) -> Int? {
    var done = 0
    while done < count {
      let chunk = min(count - done, 1 << 16)
      let bytes = try read(address + UInt64(done), count: chunk, what)
      if let i = bytes.firstIndex(where: { $0 != 0 }) { return done + i }
      done += chunk
    }
    return nil
  }
}
