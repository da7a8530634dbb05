/// What ``IOMMUFDContext/close()`` did (`iommufd_fops_release`).
public struct CloseReport: Sendable, CustomStringConvertible {
  /// Destroyed objects in order: (id, type).
  public var destroyed: [(id: UInt32, type: IOMMUFDObjectType)] = []
  /// Mappings torn down before the release (process exit unmaps VMAs first).
  public var unmappedMappings = 0
  /// Devices detached first (their VFIO fds close before the iommufd one:
  /// each holds a reference on the iommufd file).
  public var detachedDevices = 0
  /// Fault-queue fds closed first (each holds a reference on the iommufd
  /// file, like the device fds).
  public var closedFaultFiles = 0
  /// vEVENTQ fds closed first, likewise.
  public var closedEventQueueFiles = 0
  /// Number of passes over the table.
  public var passes = 0
  /// Objects left because a pass made no progress (the kernel WARNs):
  /// (id, type, users).
  public var leftovers: [(id: UInt32, type: IOMMUFDObjectType, users: Int)] = []
  /// Tombstoned IDs released at the end (`xa_destroy`).
  public var releasedTombstones: [UInt32] = []

  /// `true` if every object was destroyed.
  public var isClean: Bool { leftovers.isEmpty }

  public var description: String {
    var s = "close: \(passes) passes, destroyed "
    s += destroyed.map { "\($0.id)(\($0.type))" }.joined(separator: " ")
    if !leftovers.isEmpty {
      s += "; NO PROGRESS, left: " + leftovers.map { "\($0.id)(\($0.type), users \($0.users))" }.joined(separator: " ")
    }
    return s
  }
}
