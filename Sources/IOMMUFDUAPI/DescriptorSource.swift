import IOMMUFD

/// Where the file descriptors of vEVENTQ and fault-queue files come from.
///
/// The C library hands out real descriptors (eventfds), so `poll(2)` and
/// `close(2)` behave; its ``setReadable(_:_:)`` keeps each one's POLLIN in
/// step with the queue. Swift tests use ``NumberedDescriptors``.
public protocol DescriptorSource: AnyObject {
  /// A new descriptor for an anonymous-inode file named `name`
  /// (`[iommufd-viommu-event]`, `[iommufd-pgfault]`); `EMFILE` etc. on failure.
  func openDescriptor(name: String) throws(Errno) -> Int32
  /// The file behind `fd` is gone.
  func closeDescriptor(_ fd: Int32)
  /// Whether a read on `fd` would return data now (`EPOLLIN`).
  func setReadable(_ fd: Int32, _ readable: Bool)
}

/// Descriptor numbers without files: 1000, 1001, … (the lowest free number
/// is reused, like the kernel's fd table). Readiness is only recorded.
public final class NumberedDescriptors: DescriptorSource {
  public private(set) var open: Set<Int32> = []
  public private(set) var readable: Set<Int32> = []
  public let first: Int32

  public init(first: Int32 = 1000) { self.first = first }

  public func openDescriptor(name: String) throws(Errno) -> Int32 {
    var fd = first
    while open.contains(fd) { fd += 1 }
    open.insert(fd)
    return fd
  }

  public func closeDescriptor(_ fd: Int32) {
    open.remove(fd)
    readable.remove(fd)
  }

  public func setReadable(_ fd: Int32, _ isReadable: Bool) {
    if isReadable { readable.insert(fd) } else { readable.remove(fd) }
  }
}
