/// A failed `IOMMU_HWPT_INVALIDATE`: the errno plus the `entry_num` the kernel
/// writes back (how many entries were handled before the failure).
public struct InvalidationError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The errno the ioctl returned.
  public var errno: Errno
  /// `cmd->entry_num` on return.
  public var handledCount: Int

  public init(errno: Errno, handledCount: Int) {
    self.errno = errno
    self.handledCount = handledCount
  }

  public var description: String { "\(errno) (entry_num = \(handledCount))" }
}
