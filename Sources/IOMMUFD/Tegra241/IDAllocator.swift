/// `struct ida` with `ida_alloc_range`: the lowest free ID in a range.
struct IDAllocator {
  private var used = Set<Int>()

  /// The lowest free ID in `min...max`, or `nil` when all are taken.
  mutating func allocate(min: Int = 0, max: Int) -> Int? {
    guard min <= max else { return nil }
    for id in min...max where !used.contains(id) {
      used.insert(id)
      return id
    }
    return nil
  }

  mutating func free(_ id: Int) { used.remove(id) }

  func contains(_ id: Int) -> Bool { used.contains(id) }

  var count: Int { used.count }
}
