/// `struct iommufd_ioas` (IOMMUFD_OBJ_IOAS): an I/O address space whose
/// mappings (`IOMMU_IOAS_MAP`) are page-granular (4 KiB) areas from IOVA to
/// physical address.
///
/// Pins taken by accesses are counted per IOVA page; an area with pins
/// cannot be unmapped (see `ioasUnmap`).
public final class IOAS: IOMMUFDObject {
  /// `PAGE_SIZE` of this model.
  public static let pageSize: UInt64 = 4096

  /// One `IOMMU_IOAS_MAP` call: `struct iopt_area`.
  public struct Area: Hashable, Sendable {
    public var iova: UInt64
    public var length: UInt64
    public var physicalAddress: UInt64
    /// The last IOVA (inclusive), `iopt_area_last_iova`.
    public var last: UInt64 { iova + (length - 1) }
  }

  /// Mapped areas by starting IOVA.
  public internal(set) var areas: [UInt64: Area] = [:]
  /// Accesses attached to this IOAS (`iopt->access_list`).
  public internal(set) var accesses: [Access] = []

  init() { super.init(type: .ioas) }

  /// The area containing `iova`, if any.
  public func area(containing iova: UInt64) -> Area? {
    areas.values.first { $0.iova <= iova && iova <= $0.last }
  }

  /// `iommu_iova_to_phys`: the physical address `iova` maps to, or `nil`.
  public func physicalAddress(of iova: UInt64) -> UInt64? {
    guard let area = area(containing: iova) else { return nil }
    return area.physicalAddress + (iova - area.iova)
  }

  /// How many pins (all accesses) cover the page at `iova`.
  public func pinCount(atPage iova: UInt64) -> Int {
    accesses.reduce(0) { $0 + ($1.pinnedPages[iova & ~(IOAS.pageSize - 1)] ?? 0) }
  }
}
