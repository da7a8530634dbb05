extension PhysicalMemoryModel {
  /// Backs the page-aligned range `base..<base+length` with memory the
  /// caller owns (`storage`, page aligned, at least `length` bytes), so
  /// what the caller writes there is what the device fetches and what the
  /// device writes the caller sees: how user pages pinned by `IOMMU_IOAS_MAP`
  /// (`iopt_map_user_pages`) become DMA-visible. The caller keeps `storage`
  /// alive until ``unback(base:length:)`` of the range, which forgets the
  /// pages without freeing them. Returns `false` (nothing changed) when the
  /// range is not page aligned, is empty, or overlaps pages already backed.
  public func attachExternal(base: UInt64, length: UInt64, storage: UnsafeMutableRawPointer) -> Bool {
    let mask = UInt64(Self.pageSize - 1)
    guard length > 0, (base | length) & mask == 0, UInt(bitPattern: storage) & UInt(mask) == 0,
      !base.addingReportingOverflow(length - 1).overflow
    else { return false }
    let first = base >> Self.pageShift
    let count = length >> Self.pageShift
    let last = first + (count - 1)
    guard !backed.contains(where: { $0.lowerBound <= last && first <= $0.upperBound }) else { return false }
    backRange(base: base, length: length)
    for i in 0..<count {
      pageIndex[first + i] = storage + Int(i) * Self.pageSize
      externalPages.insert(first + i)
    }
    return true
  }

  /// Number of pages backed by caller-owned memory.
  public var externalPageCount: Int { externalPages.count }
}
