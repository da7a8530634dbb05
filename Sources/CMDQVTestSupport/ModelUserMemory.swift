import CMDQVModel
import IOMMUFD
import IOMMUFDUAPI

/// User memory as the model's DMA sees it: pinning a user range for
/// `IOMMU_IOAS_MAP` makes the model's physical pages at the same addresses
/// (physical address == user virtual address) *be* the process's pages
/// (``PhysicalMemoryModel/attachExternal(base:length:storage:)``), so a
/// queue a C program fills in its own buffer is what the CMDQV fetches.
/// Pages are reference counted (two IOASes may map one buffer) and handed
/// back to the process when the last mapping goes.
public final class ModelUserMemory: UserMemoryMapper {
  public let memory: PhysicalMemoryModel
  private var references: [UInt64: Int] = [:]
  private static let pageSize = UInt64(PhysicalMemoryModel.pageSize)

  public init(memory: PhysicalMemoryModel) { self.memory = memory }

  /// Pages currently pinned.
  public var pinnedPageCount: Int { references.count }

  public func pin(userVA: UInt64, length: UInt64) throws(Errno) -> UInt64 {
    guard length > 0, length <= UInt64(Int.max), (userVA | length) & (Self.pageSize - 1) == 0,
      ProcessMemory.isReadable(userVA, count: Int(length))
    else {
      throw Errno.efault(
        "iopt_map_user_pages: user_va 0x\(String(userVA, radix: 16)) +0x\(String(length, radix: 16)) is not mapped")
    }
    // The model's DMA (a CMD_SYNC's MSI write, say) stores straight into the
    // pinned pages, bypassing IOVA permissions: a read-only page would crash
    // the process instead of faulting in the model, so it is refused here.
    // The kernel pins a read-only buffer for a map without WRITEABLE (see
    // Docs/C.md); the model cannot.
    guard ProcessMemory.isWritable(userVA, count: Int(length)) else {
      throw Errno.efault(
        "iopt_map_user_pages: user_va 0x\(String(userVA, radix: 16)) +0x\(String(length, radix: 16)) is not writable (the model's DMA writes into pinned pages directly)")
    }
    let first = userVA / Self.pageSize
    let count = length / Self.pageSize
    // Pages not yet pinned must not be model memory already (the model's
    // own DMA region or guest RAM at the same address).
    var run: (start: UInt64, pages: UInt64)?
    var runs: [(start: UInt64, pages: UInt64)] = []
    for page in first..<(first + count) {
      if references[page] != nil {
        if let r = run { runs.append(r) }
        run = nil
      } else if let r = run {
        run = (r.start, r.pages + 1)
      } else {
        run = (page, 1)
      }
    }
    if let r = run { runs.append(r) }
    for r in runs where (0..<r.pages).contains(where: { memory.isBacked((r.start + $0) * Self.pageSize, count: 1) }) {
      throw Errno.efault(
        "iopt_map_user_pages: user_va 0x\(String(r.start * Self.pageSize, radix: 16)) collides with model memory at the same physical address")
    }
    for r in runs {
      let base = r.start * Self.pageSize
      guard let storage = UnsafeMutableRawPointer(bitPattern: UInt(base)),
        memory.attachExternal(base: base, length: r.pages * Self.pageSize, storage: storage)
      else {
        throw Errno.efault(
          "iopt_map_user_pages: user_va 0x\(String(base, radix: 16)) collides with model memory at the same physical address")
      }
    }
    for page in first..<(first + count) { references[page, default: 0] += 1 }
    return userVA
  }

  public func unpin(physicalAddress: UInt64, length: UInt64) {
    let first = physicalAddress / Self.pageSize
    for page in first..<(first + length / Self.pageSize) {
      guard let n = references[page] else { continue }
      if n > 1 {
        references[page] = n - 1
      } else {
        references[page] = nil
        memory.unback(base: page * Self.pageSize, length: Self.pageSize)
      }
    }
  }
}
