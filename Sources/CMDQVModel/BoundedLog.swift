/// A log that keeps its first `limit` and its last `limit` records and only
/// counts the ones in between, so a guest that faults a million times costs
/// 2 × `limit` records, not a million.
///
/// As a collection it holds the kept records in order: the first ones, then
/// the last ones. ``totalCount`` counts every record appended;
/// ``droppedCount`` those between ``head`` and ``tail`` that were not kept.
public struct BoundedLog<Element> {
  /// Records kept at each end.
  public let limit: Int
  /// Every record appended since the last ``removeAll()``, kept or not.
  public private(set) var totalCount = 0
  /// The first records, up to `limit`.
  public private(set) var head: [Element] = []
  // The last records: a ring of up to `limit` entries, oldest at `ringStart`.
  private var ring: [Element] = []
  private var ringStart = 0

  /// A log keeping the first and the last `limit` records (`limit` ≥ 0).
  public init(limit: Int) {
    precondition(limit >= 0, "BoundedLog: limit \(limit) must be ≥ 0")
    self.limit = limit
  }

  /// Records appended but not kept (they happened between ``head`` and ``tail``).
  public var droppedCount: Int { totalCount - head.count - ring.count }

  /// The last records kept after ``head``, oldest first (empty until the head is full).
  public var tail: [Element] { Array(ring[ringStart...] + ring[..<ringStart]) }

  public mutating func append(_ element: Element) {
    totalCount += 1
    if head.count < limit {
      head.append(element)
    } else if ring.count < limit {
      ring.append(element)
    } else if limit > 0 {
      ring[ringStart] = element  // overwrite the oldest of the tail
      ringStart = ringStart + 1 == limit ? 0 : ringStart + 1
    }
  }

  /// Forgets every record and resets the counts.
  public mutating func removeAll() {
    totalCount = 0
    head.removeAll(keepingCapacity: true)
    ring.removeAll(keepingCapacity: true)
    ringStart = 0
  }
}

extension BoundedLog: RandomAccessCollection {
  public var startIndex: Int { 0 }
  public var endIndex: Int { head.count + ring.count }

  public subscript(position: Int) -> Element {
    precondition(position >= 0 && position < endIndex, "BoundedLog: index \(position) out of 0..<\(endIndex)")
    if position < head.count { return head[position] }
    let r = ringStart + position - head.count
    return ring[r < ring.count ? r : r - ring.count]
  }
}

extension BoundedLog: Sendable where Element: Sendable {}
extension BoundedLog: Equatable where Element: Equatable {
  public static func == (a: Self, b: Self) -> Bool {
    a.totalCount == b.totalCount && a.limit == b.limit && a.elementsEqual(b)
  }
}

extension BoundedLog: CustomStringConvertible {
  /// The kept records, with a marker where records were dropped.
  public var description: String {
    var parts = head.map { "\($0)" }
    if droppedCount > 0 { parts.append("… \(droppedCount) dropped …") }
    parts += tail.map { "\($0)" }
    return "[" + parts.joined(separator: ", ") + "]"
  }
}
