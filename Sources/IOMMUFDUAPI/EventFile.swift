/// An fd the iommufd handed out: a vEVENTQ's `[iommufd-viommu-event]` or a
/// fault queue's `[iommufd-pgfault]` anonymous-inode file.
public struct EventFile: Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    case veventq
    case fault
  }

  public var descriptor: Int32
  public var kind: Kind
  /// The object the file belongs to.
  public var objectID: UInt32
}
