import IOMMUFD

/// The library's state. The library is single-threaded: one thread at a
/// time may call into it (Docs/C.md).
enum Library {
  nonisolated(unsafe) static var descriptors: [Int32: Descriptor] = [:]
  nonisolated(unsafe) static var lastError: [CChar] = [0]

  static func fail(_ error: Errno) {
    lastError = Array(error.description.utf8CString)
  }

  static func fail(_ message: String) {
    lastError = Array(message.utf8CString)
  }

  static func system(_ pointer: OpaquePointer?) -> CSystem? {
    guard let pointer else { return nil }
    return Unmanaged<CSystem>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
  }
}
