import CMDQVRegisters

/// Sparse physical memory: 4 KiB pages that exist only once backed,
/// little-endian and byte-addressable. Any access touching an unbacked byte
/// fails as a whole (a DMA abort), so a queue fetch from it is `CERROR_ABT`.
public final class PhysicalMemoryModel: PhysicalMemory {
  public static let pageSize = 4096
  static let pageShift: UInt64 = 12
  static let pageMask: UInt64 = 0xFFF

  // Page number -> page storage. The dictionary is only consulted when the
  // one-entry cache misses, so sequential queue fetches stay cheap.
  private var pageIndex: [UInt64: UnsafeMutableRawPointer] = [:]
  // The last page touched, behind a pointer so a hit costs no exclusivity check.
  private let cache: UnsafeMutablePointer<(page: UInt64, storage: UnsafeMutableRawPointer?)>

  /// Told about every software write (address, length) before it lands, so
  /// the device can check queue-memory ownership rules. Not called for reads.
  var softwareWriteObserver: ((UInt64, Int) -> Void)?

  public init() {
    cache = .allocate(capacity: 1)
    cache.initialize(to: (.max, nil))
  }

  deinit {
    for storage in pageIndex.values { storage.deallocate() }
    cache.deallocate()
  }

  /// Number of backed pages.
  public var backedPageCount: Int { pageIndex.count }

  /// Backs (zero-filled) every page overlapping `base..<base+length`; pages
  /// already backed keep their contents.
  public func backRange(base: UInt64, length: UInt64) {
    guard length > 0 else { return }
    let first = base >> Self.pageShift
    let last = (base &+ (length - 1)) >> Self.pageShift
    precondition(last >= first, "backRange: 0x\(String(base, radix: 16)) + 0x\(String(length, radix: 16)) overflows")
    for page in first...last where pageIndex[page] == nil {
      let storage = UnsafeMutableRawPointer.allocate(byteCount: Self.pageSize, alignment: 16)
      storage.initializeMemory(as: UInt8.self, repeating: 0, count: Self.pageSize)
      pageIndex[page] = storage
    }
  }

  /// Removes the backing of every page overlapping the range (its contents are lost).
  public func unback(base: UInt64, length: UInt64) {
    guard length > 0 else { return }
    let first = base >> Self.pageShift
    let last = (base &+ (length - 1)) >> Self.pageShift
    for page in first...last {
      pageIndex.removeValue(forKey: page)?.deallocate()
    }
    cache.pointee = (.max, nil)
  }

  /// Whether every byte of the range is backed.
  public func isBacked(_ address: UInt64, count: Int) -> Bool {
    guard count > 0 else { return true }
    let first = address >> Self.pageShift
    let last = (address &+ UInt64(count - 1)) >> Self.pageShift
    guard last >= first else { return false }
    return (first...last).allSatisfy { pageIndex[$0] != nil }
  }

  private func storage(ofPage page: UInt64) -> UnsafeMutableRawPointer? {
    if page == cache.pointee.page { return cache.pointee.storage }
    guard let storage = pageIndex[page] else { return nil }
    cache.pointee = (page, storage)
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
