import CMDQVRegisters

/// Sparse physical memory: 4 KiB pages, little-endian and byte-addressable.
/// Backing a range only records it; a backed page is allocated and zeroed
/// the first time it is touched, so a 64 GiB guest costs only the pages its
/// queues and data really use. Any access touching an unbacked byte fails as
/// a whole (a DMA abort), so a queue fetch from it is `CERROR_ABT`.
public final class PhysicalMemoryModel: PhysicalMemory {
  public static let pageSize = 4096
  static let pageShift: UInt64 = 12
  static let pageMask: UInt64 = 0xFFF

  /// The last page touched and the unback generation, behind a pointer so a
  /// hit costs no exclusivity check.
  struct PageCache {
    var page: UInt64 = .max
    var storage: UnsafeMutableRawPointer?
    /// Bumped on every ``unback(base:length:)``: page pointers cached
    /// elsewhere (each queue keeps its fetch page) are stale once it moves.
    var generation: UInt64 = 0
  }

  // Backed page numbers as sorted, disjoint, non-adjacent closed ranges.
  var backed: [ClosedRange<UInt64>] = []
  // Page number -> storage, for the backed pages touched so far.
  var pageIndex: [UInt64: UnsafeMutableRawPointer] = [:]
  // Pages whose storage is memory the model does not own (see
  // ``attachExternal(base:length:storage:)``): never freed here.
  var externalPages: Set<UInt64> = []
  private let cache: UnsafeMutablePointer<PageCache>

  /// Told about every software write (address, length) before it lands, so
  /// the device can check queue-memory ownership rules. Not called for reads.
  var softwareWriteObserver: ((UInt64, Int) -> Void)?

  public init() {
    cache = .allocate(capacity: 1)
    cache.initialize(to: PageCache())
  }

  deinit {
    for (page, storage) in pageIndex where !externalPages.contains(page) { storage.deallocate() }
    cache.deallocate()
  }

  /// Number of backed pages (touched or not).
  public var backedPageCount: Int { backed.reduce(0) { $0 + Int(clamping: $1.upperBound - $1.lowerBound + 1) } }

  /// Number of backed pages allocated so far (touched at least once).
  public var touchedPageCount: Int { pageIndex.count }

  /// Changes whenever backing is removed; see ``PageCache/generation``.
  var generation: UInt64 { cache.pointee.generation }

  /// Backs (zero-filled) every page overlapping `base..<base+length`; pages
  /// already backed keep their contents. Costs nothing per page: storage is
  /// allocated on first touch.
  public func backRange(base: UInt64, length: UInt64) {
    guard length > 0 else { return }
    let first = base >> Self.pageShift
    let last = (base &+ (length - 1)) >> Self.pageShift
    precondition(last >= first, "backRange: 0x\(String(base, radix: 16)) + 0x\(String(length, radix: 16)) overflows")
    // Merge with every range that overlaps or touches first...last (page
    // numbers are below 2^52, so +1 cannot overflow).
    var merged = first...last
    var kept: [ClosedRange<UInt64>] = []
    kept.reserveCapacity(backed.count + 1)
    for r in backed {
      if r.upperBound + 1 < merged.lowerBound || r.lowerBound > merged.upperBound + 1 {
        kept.append(r)
      } else {
        merged = min(r.lowerBound, merged.lowerBound)...max(r.upperBound, merged.upperBound)
      }
    }
    let at = kept.firstIndex { $0.lowerBound > merged.upperBound } ?? kept.count
    kept.insert(merged, at: at)
    backed = kept
  }

  /// Removes the backing of every page overlapping the range (its contents
  /// are lost, its storage freed).
  public func unback(base: UInt64, length: UInt64) {
    guard length > 0 else { return }
    let first = base >> Self.pageShift
    let last = (base &+ (length - 1)) >> Self.pageShift
    guard last >= first else { return }
    var kept: [ClosedRange<UInt64>] = []
    for r in backed {
      if r.upperBound < first || r.lowerBound > last {
        kept.append(r)
        continue
      }
      if r.lowerBound < first { kept.append(r.lowerBound...(first - 1)) }
      if r.upperBound > last { kept.append((last + 1)...r.upperBound) }
    }
    backed = kept
    // Free what was touched: walk the touched pages or the range, whichever is smaller.
    if UInt64(pageIndex.count) < last - first + 1 {
      for page in pageIndex.keys where page >= first && page <= last { release(page) }
    } else {
      for page in first...last { release(page) }
    }
    cache.pointee.page = .max
    cache.pointee.storage = nil
    cache.pointee.generation &+= 1
  }

  /// Drops page number `page`'s storage (freed unless it is external).
  private func release(_ page: UInt64) {
    guard let storage = pageIndex.removeValue(forKey: page) else { return }
    if externalPages.remove(page) == nil { storage.deallocate() }
  }

  /// Whether page number `page` is backed.
  private func isBackedPage(_ page: UInt64) -> Bool {
    // Binary search for the last range starting at or before `page`.
    var low = 0
    var high = backed.count
    while low < high {
      let mid = (low + high) / 2
      if backed[mid].lowerBound <= page { low = mid + 1 } else { high = mid }
    }
    return low > 0 && backed[low - 1].upperBound >= page
  }

  /// Whether every byte of the range is backed.
  public func isBacked(_ address: UInt64, count: Int) -> Bool {
    guard count > 0 else { return true }
    let first = address >> Self.pageShift
    let last = (address &+ UInt64(count - 1)) >> Self.pageShift
    guard last >= first else { return false }
    // Backed ranges are non-adjacent, so one range must cover first...last.
    var low = 0
    var high = backed.count
    while low < high {
      let mid = (low + high) / 2
      if backed[mid].lowerBound <= first { low = mid + 1 } else { high = mid }
    }
    return low > 0 && backed[low - 1].upperBound >= last
  }

  /// The storage of page number `page`, allocated and zeroed on first touch;
  /// `nil` when the page is not backed.
  func storage(ofPage page: UInt64) -> UnsafeMutableRawPointer? {
    if page == cache.pointee.page { return cache.pointee.storage }
    let storage: UnsafeMutableRawPointer
    if let existing = pageIndex[page] {
      storage = existing
    } else {
      guard isBackedPage(page) else { return nil }
      storage = UnsafeMutableRawPointer.allocate(byteCount: Self.pageSize, alignment: 16)
      storage.initializeMemory(as: UInt8.self, repeating: 0, count: Self.pageSize)
      pageIndex[page] = storage
    }
    cache.pointee.page = page
    cache.pointee.storage = storage
    return storage
  }

  public func readBytes(at address: UInt64, count: Int) -> [UInt8]? {
    guard count > 0 else { return [] }
    guard isBacked(address, count: count) else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(count)
    var a = address
    for _ in 0..<count {
      out.append(storage(ofPage: a >> Self.pageShift)!.load(fromByteOffset: Int(a & Self.pageMask), as: UInt8.self))
      a &+= 1
    }
    return out
  }

  @discardableResult
  public func writeBytes(_ bytes: [UInt8], at address: UInt64) -> Bool {
    guard isBacked(address, count: bytes.count) else { return false }
    softwareWriteObserver?(address, bytes.count)
    var a = address
    for b in bytes {
      storage(ofPage: a >> Self.pageShift)!.storeBytes(of: b, toByteOffset: Int(a & Self.pageMask), as: UInt8.self)
      a &+= 1
    }
    return true
  }

  /// A little-endian 64-bit load, `nil` if any byte is unbacked. Fast when
  /// the doubleword is inside one page (always true for aligned addresses).
  public func load64(at address: UInt64) -> UInt64? {
    let offset = Int(address & Self.pageMask)
    guard offset <= Self.pageSize - 8 else {
      guard let b = readBytes(at: address, count: 8) else { return nil }
      return b.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
    guard let storage = storage(ofPage: address >> Self.pageShift) else { return nil }
    return UInt64(littleEndian: storage.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  /// A little-endian 64-bit store; `false` (nothing written) if unbacked.
  @discardableResult
  public func store64(_ value: UInt64, at address: UInt64) -> Bool {
    softwareWriteObserver?(address, 8)
    return rawStore64(value, at: address)
  }

  @discardableResult
  private func rawStore64(_ value: UInt64, at address: UInt64) -> Bool {
    let offset = Int(address & Self.pageMask)
    guard offset <= Self.pageSize - 8 else {
      return writeBytes((0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }, at: address)
    }
    guard let storage = storage(ofPage: address >> Self.pageShift) else { return false }
    storage.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
    return true
  }

  /// Writes a 16-byte command at `address`; `false` if unbacked.
  @discardableResult
  public func storeCommand(_ command: SMMUCommand, at address: UInt64) -> Bool {
    guard isBacked(address, count: 16) else { return false }
    softwareWriteObserver?(address, 16)
    rawStore64(command.dword0, at: address)
    rawStore64(command.dword1, at: address &+ 8)
    return true
  }

  /// Reads a 16-byte command at `address`, `nil` if unbacked.
  public func loadCommand(at address: UInt64) -> SMMUCommand? {
    guard let d0 = load64(at: address), let d1 = load64(at: address &+ 8) else { return nil }
    return SMMUCommand(dword0: d0, dword1: d1)
  }
}
