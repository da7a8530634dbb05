import CCMDQV
import CMDQVModel
import CMDQVRegisters

/// Copies `text` NUL-terminated into a fixed C char array, truncated to fit.
func copy<T>(_ text: String, into field: inout T) {
  withUnsafeMutableBytes(of: &field) { raw in
    let bytes = Array(text.utf8.prefix(raw.count - 1))
    raw.copyBytes(from: bytes)
    raw[bytes.count] = 0
  }
}

@_cdecl("cmdqv_violations")
public func cmdqvViolations(
  _ pointer: OpaquePointer?, _ out: UnsafeMutablePointer<cmdqv_violation>?, _ max: Int
) -> Int {
  guard let system = Library.system(pointer) else { return 0 }
  let log = system.system.device.violations
  if let out {
    for (i, v) in log.prefix(max).enumerated() {
      var c = cmdqv_violation()
      copy(v.rule.rawValue, into: &c.rule)
      c.cycle = v.cycle
      copy(v.detail, into: &c.detail)
      copy(v.accessDescription, into: &c.access)
      copy(v.source, into: &c.source)
      out[i] = c
    }
  }
  return log.count
}

@_cdecl("cmdqv_faults")
public func cmdqvFaults(_ pointer: OpaquePointer?, _ out: UnsafeMutablePointer<cmdqv_fault>?, _ max: Int) -> Int {
  guard let system = Library.system(pointer) else { return 0 }
  let accesses: [AccessFault] = system.system.device.faults.compactMap {
    if case .access(let f) = $0 { return f }
    return nil
  }
  if let out {
    for (i, f) in accesses.prefix(max).enumerated() {
      var c = cmdqv_fault()
      copy(f.reason.rawValue, into: &c.reason)
      copy(DeviceFault.access(f).description, into: &c.description)
      out[i] = c
    }
  }
  return accesses.count
}

@_cdecl("cmdqv_clear_faults")
public func cmdqvClearFaults(_ pointer: OpaquePointer?) {
  Library.system(pointer)?.system.device.clearFaults()
}
