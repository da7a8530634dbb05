import CMDQVRegisters
import IOMMUFD

/// The calling process's own memory as physical memory: physical address ==
/// user virtual address, and only ranges pinned through ``pin(userVA:length:)``
/// (that is, mapped by `IOMMU_IOAS_MAP`) are backed. What a C program writes
/// to its buffer is what a reader of this memory sees, and the other way
/// round. Used where no device model owns physical memory; a system with a
/// model wires the same pages into the model's memory instead
/// (`CMDQVSystem.userMemoryMapper` in CMDQVTestSupport).
public final class ProcessMemory: PhysicalMemory, UserMemoryMapper {
  /// Pinned ranges: start → length (disjoint; a range pinned twice counts twice).
  public private(set) var pinned: [UInt64: (length: UInt64, count: Int)] = [:]

  public init() {}

  /// Whether every byte of `[address, address + count)` is mapped and
  /// readable in this process; what `IOMMU_IOAS_MAP` checks before pinning
  /// (the kernel's `pin_user_pages` fails on such pages). Writability is not
  /// checked.
  public static func isReadable(_ address: UInt64, count: Int) -> Bool {
    UserPointer.isReadable(address, count: count)
  }

  /// Whether every byte of `[address, address + count)` can be written,
  /// found without changing it (each chunk is read and written back as it
  /// was). A model whose DMA writes straight into the pinned pages needs
  /// this: a read-only page would fault in the process, not in the model.
  public static func isWritable(_ address: UInt64, count: Int) -> Bool {
    UserPointer.writableLength(address, upTo: count) == count
  }

  public func pin(userVA: UInt64, length: UInt64) throws(Errno) -> UInt64 {
    guard length > 0, length <= UInt64(Int.max), UserPointer.isReadable(userVA, count: Int(length)) else {
      throw Errno.efault(
        "iopt_map_user_pages: user_va 0x\(String(userVA, radix: 16)) +0x\(String(length, radix: 16)) is not mapped")
    }
    if let existing = pinned[userVA], existing.length == length {
      pinned[userVA] = (length, existing.count + 1)
    } else {
      pinned[userVA] = (length, 1)
    }
    return userVA
  }

  public func unpin(physicalAddress: UInt64, length: UInt64) {
    guard let existing = pinned[physicalAddress], existing.length == length else { return }
    pinned[physicalAddress] = existing.count > 1 ? (length, existing.count - 1) : nil
  }

  private func isPinned(_ address: UInt64, count: Int) -> Bool {
    guard count > 0 else { return true }
    let (end, overflow) = address.addingReportingOverflow(UInt64(count))
    guard !overflow else { return false }
    return pinned.contains { $0.key <= address && end <= $0.key + $0.value.length }
  }

  public func readBytes(at address: UInt64, count: Int) -> [UInt8]? {
    guard count >= 0, isPinned(address, count: count) else { return nil }
    guard count > 0, let source = UnsafeRawPointer(bitPattern: UInt(address)) else { return [] }
    return Array(UnsafeRawBufferPointer(start: source, count: count))
  }

  @discardableResult
  public func writeBytes(_ bytes: [UInt8], at address: UInt64) -> Bool {
    guard isPinned(address, count: bytes.count) else { return false }
    guard !bytes.isEmpty, let target = UnsafeMutableRawPointer(bitPattern: UInt(address)) else { return true }
    bytes.withUnsafeBytes { target.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    return true
  }
}
