/// Read-only views for tests and harnesses.
extension IOMMUFDContext {
  /// Live (finalized) objects by ID.
  public var objectKinds: [UInt32: IOMMUFDObjectType] {
    var kinds: [UInt32: IOMMUFDObjectType] = [:]
    for (id, slot) in slots {
      if case .live(let object) = slot { kinds[id] = object.type }
    }
    return kinds
  }

  /// The number of live objects.
  public var liveObjectCount: Int { objectKinds.count }

  /// IDs held by tombstones (`XA_ZERO_ENTRY` after `iommufd_object_tombstone_user`).
  public var tombstonedIDs: [UInt32] {
    slots.compactMap { id, slot in
      if case .tombstone = slot { return id }
      return nil
    }.sorted()
  }

  /// IDs reserved by an allocation in progress.
  public var reservedIDs: [UInt32] {
    slots.compactMap { id, slot in
      if case .reserved = slot { return id }
      return nil
    }.sorted()
  }

  /// The live object with `id`, if any.
  public func object(_ id: UInt32) -> IOMMUFDObject? {
    if case .live(let object) = slots[id] { return object }
    return nil
  }

  /// `users` of the live object `id`, or `nil`.
  public func users(of id: UInt32) -> Int? { object(id)?.users }

  /// Every live object of a type.
  public func objects<T: IOMMUFDObject>(of type: T.Type) -> [T] {
    slots.keys.sorted().compactMap { object($0) as? T }
  }

  /// Every pinned page: (IOAS ID, page IOVA, access, pin count).
  public var pinnedPages: [(ioas: UInt32, iova: UInt64, access: Access, count: Int)] {
    var result: [(UInt32, UInt64, Access, Int)] = []
    for ioas in objects(of: IOAS.self) {
      for access in ioas.accesses {
        for (page, count) in access.pinnedPages.sorted(by: { $0.key < $1.key }) {
          result.append((ioas.id, page, access, count))
        }
      }
    }
    return result
  }

  /// The registered mmap regions.
  public var mmapRegistry: [MMapRegion] { mmapRegions.values.sorted { $0.offset < $1.offset } }

  /// Mappings still mapped.
  public var liveMappings: [MMapping] { mappings.filter(\.isMapped) }

  /// What `dependent` depends on (`iommufd_object_depend` edges).
  public func dependencies(of dependent: IOMMUFDObject) -> [IOMMUFDObject] {
    dependencies[ObjectIdentifier(dependent)] ?? []
  }
}
