extension IOMMUFDContext {
  /// `iommufd_hw_queue_depend(dependent, depended, core)`: `dependent` holds
  /// a `users` reference on `depended`, so `IOMMU_DESTROY` of `depended`
  /// fails with `EBUSY` while `dependent` exists (`_iommufd_object_depend`,
  /// drivers/iommu/iommufd/driver.c, v6.17). Checks, in order:
  /// 1. different vIOMMUs (WARN in the macro) → `EINVAL`;
  /// 2. then ``dependObject(_:on:)``'s checks (self, type, cycle).
  public func depend(_ dependent: HWQueue, on depended: HWQueue) throws(Errno) {
    guard dependent.viommu === depended.viommu else {
      warn("iommufd_hw_queue_depend: queues on different vIOMMUs")
      throw Errno.einval("iommufd_hw_queue_depend: \(dependent.label) and \(depended.label) are on different vIOMMUs")
    }
    try dependObject(dependent, on: depended)
  }

  /// `iommufd_hw_queue_undepend`: different vIOMMUs only warns, then
  /// ``undependObject(_:on:)``.
  public func undepend(_ dependent: HWQueue, on depended: HWQueue) {
    if dependent.viommu !== depended.viommu {
      warn("iommufd_hw_queue_undepend: queues on different vIOMMUs")
    }
    undependObject(dependent, on: depended)
  }

  /// `_iommufd_object_depend`:
  /// 1. `dependent === depended` → `EINVAL` ("self dependency deadlocks");
  /// 2. different object types → `EINVAL`;
  /// 3. **addition (not in the kernel):** `depended` already (transitively)
  ///    depends on `dependent`, so the new edge would close a cycle that no
  ///    destroy order could break → `EINVAL`.
  /// Then `depended.users++`.
  public func dependObject(_ dependent: IOMMUFDObject, on depended: IOMMUFDObject) throws(Errno) {
    guard dependent !== depended else {
      throw Errno.einval("iommufd_object_depend: \(dependent.label) cannot depend on itself")
    }
    guard dependent.type == depended.type else {
      throw Errno.einval("iommufd_object_depend: \(dependent.label) and \(depended.label) differ in type")
    }
    if reaches(from: depended, to: dependent) {
      throw Errno.einval(
        "iommufd_object_depend: \(depended.label) already depends on \(dependent.label); the edge would close a cycle")
    }
    depended.users += 1
    dependencies[ObjectIdentifier(dependent), default: []].append(depended)
  }

  /// `_iommufd_object_undepend`: self or type mismatch WARNs and returns;
  /// **addition:** undepending an edge that was never made also only warns
  /// (the kernel would underflow `users`). Otherwise `depended.users--`.
  public func undependObject(_ dependent: IOMMUFDObject, on depended: IOMMUFDObject) {
    guard dependent !== depended, dependent.type == depended.type else {
      warn("iommufd_object_undepend: self or type mismatch (\(dependent.label), \(depended.label))")
      return
    }
    let key = ObjectIdentifier(dependent)
    guard let index = dependencies[key]?.firstIndex(where: { $0 === depended }) else {
      warn("iommufd_object_undepend: \(dependent.label) does not depend on \(depended.label)")
      return
    }
    dependencies[key]!.remove(at: index)
    if dependencies[key]!.isEmpty { dependencies[key] = nil }
    depended.users -= 1
  }

  func reaches(from start: IOMMUFDObject, to target: IOMMUFDObject) -> Bool {
    var stack = [start]
    var seen: Set<ObjectIdentifier> = []
    while let node = stack.popLast() {
      if node === target { return true }
      guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
      stack.append(contentsOf: dependencies[ObjectIdentifier(node)] ?? [])
    }
    return false
  }
}
