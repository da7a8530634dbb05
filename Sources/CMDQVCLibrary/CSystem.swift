import CMDQVModel
import CMDQVTestSupport
import CMDQVTrace
import IOMMUFD
import IOMMUFDUAPI

/// What `struct cmdqv_system *` points at: a booted system, the iommufds
/// opened on it and an optional trace.
final class CSystem {
  let system: CMDQVSystem
  let descriptors = EventfdDescriptors()
  /// The iommufds opened on the system, by descriptor.
  var files: [Int32: IOMMUFDFile] = [:]
  var trace: TraceSession?
  var windows: [CWindow] = []

  init(configuration: CMDQVConfiguration) throws(Errno) {
    system = try CMDQVSystem(configuration: configuration)
  }

  /// Event readiness after the hardware ran (the ISR may have queued events).
  func refreshReadiness() {
    for file in files.values where !file.isClosed { file.refreshReadiness() }
  }
}

/// Which file a descriptor the library handed out belongs to.
enum Descriptor {
  /// An iommufd.
  case iommufd(CSystem, IOMMUFDFile)
  /// A vEVENTQ or fault-queue file of an iommufd (`file` is closed if the
  /// iommufd was closed first; the descriptor stays valid until closed).
  case event(CSystem, IOMMUFDFile)
}

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
