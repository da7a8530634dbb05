import CCMDQVSupport
import Glibc
import IOMMUFD
import IOMMUFDUAPI

/// Real descriptors for vEVENTQ and fault files: non-blocking eventfds whose
/// counter is non-zero exactly while a read would return data, so `poll(2)`
/// reports POLLIN when events wait. Reads and writes of the data go through
/// the library (`cmdqv_read`), never to the eventfd.
final class EventfdDescriptors: DescriptorSource {
  private var readable: Set<Int32> = []
  /// Descriptors the model is done with (closed by the iommufd's release)
  /// that the caller has not closed yet.
  private(set) var orphans: Set<Int32> = []

  func openDescriptor(name: String) throws(Errno) -> Int32 {
    let fd = cmdqv_support_eventfd()
    guard fd >= 0 else { throw Errno(code: errno, name: "errno \(errno)", message: "eventfd for \(name) failed") }
    return fd
  }

  /// The model dropped the file; the descriptor itself is closed by
  /// `cmdqv_close` (the caller owns it).
  func closeDescriptor(_ fd: Int32) {
    setReadable(fd, false)
    orphans.insert(fd)
  }

  func setReadable(_ fd: Int32, _ isReadable: Bool) {
    guard isReadable != readable.contains(fd) else { return }
    if isReadable {
      cmdqv_support_eventfd_signal(fd)
      readable.insert(fd)
    } else {
      cmdqv_support_eventfd_drain(fd)
      readable.remove(fd)
    }
  }

  func forget(_ fd: Int32) {
    readable.remove(fd)
    orphans.remove(fd)
  }
}
