import CMDQVRegisters

/// Physical memory seen through an address translation: a guest's view of
/// host memory through its nesting-parent IOAS (IPA → PA), page by page.
/// Accesses that touch an untranslated page fail like unbacked memory.
public final class TranslatedMemory: PhysicalMemory {
  let memory: any PhysicalMemory
  let translate: (UInt64) -> UInt64?
  static let pageSize: UInt64 = 4096

  /// `translate` maps an input address to a physical one, or `nil`.
  public init(memory: any PhysicalMemory, translate: @escaping (UInt64) -> UInt64?) {
    self.memory = memory
    self.translate = translate
  }

  /// Splits `[address, address+count)` at page boundaries and translates each piece.
  func pieces(_ address: UInt64, _ count: Int) -> [(UInt64, Int)]? {
    var out: [(UInt64, Int)] = []
    var at = address
    var left = count
    while left > 0 {
      let inPage = Int(min(UInt64(left), Self.pageSize - at % Self.pageSize))
      guard let pa = translate(at) else { return nil }
      out.append((pa, inPage))
      at += UInt64(inPage)
      left -= inPage
    }
    return out
  }

  public func readBytes(at address: UInt64, count: Int) -> [UInt8]? {
    guard count >= 0, let parts = pieces(address, count) else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    for (pa, n) in parts {
      guard let chunk = memory.readBytes(at: pa, count: n) else { return nil }
      bytes += chunk
    }
    return bytes
  }

  public func writeBytes(_ bytes: [UInt8], at address: UInt64) -> Bool {
    guard let parts = pieces(address, bytes.count) else { return false }
    // Check every piece is backed before writing any, so a failed write
    // leaves nothing behind.
    for (pa, n) in parts where memory.readBytes(at: pa, count: n) == nil { return false }
    var offset = 0
    for (pa, n) in parts {
      _ = memory.writeBytes(Array(bytes[offset..<(offset + n)]), at: pa)
      offset += n
    }
    return true
  }
}
