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
    system = try CMDQVSystem(configuration: configuration, selftest: true)
  }

  /// Event readiness after the hardware ran (the ISR may have queued events).
  func refreshReadiness() {
    for file in files.values where !file.isClosed { file.refreshReadiness() }
  }
}
