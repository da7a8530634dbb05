import CCMDQV
import CCMDQVSupport
import CMDQVModel
import CMDQVTestSupport
import CMDQVTrace
import Glibc
import IOMMUFD

@_cdecl("cmdqv_last_error")
public func cmdqvLastError() -> UnsafePointer<CChar> {
  Library.lastError.withUnsafeBufferPointer { $0.baseAddress! }
}

@_cdecl("cmdqv_system_create")
public func cmdqvSystemCreate(_ preset: UnsafePointer<CChar>?) -> OpaquePointer? {
  let name = preset.map { String(cString: $0) } ?? ""
  let configuration: CMDQVConfiguration
  switch name {
  case "", "default": configuration = .default
  case "qemu-guest": configuration = .qemuGuest
  default:
    Library.fail("cmdqv_system_create: unknown preset \"\(name)\" (default, qemu-guest)")
    errno = EINVAL
    return nil
  }
  return create(configuration)
}

func create(_ configuration: CMDQVConfiguration) -> OpaquePointer? {
  do {
    let system = try CSystem(configuration: configuration)
    return OpaquePointer(Unmanaged.passRetained(system).toOpaque())
  } catch {
    Library.fail(error)
    errno = error.code
    return nil
  }
}

@_cdecl("cmdqv_system_create_from_scenario")
public func cmdqvSystemCreateFromScenario(_ path: UnsafePointer<CChar>?) -> OpaquePointer? {
  guard let path else {
    errno = EINVAL
    Library.fail("cmdqv_system_create_from_scenario: path is NULL")
    return nil
  }
  let file = String(cString: path)
  guard let text = readText(file, limit: ScenarioParser.maximumFileBytes) else { return nil }
  do {
    let scenario = try ScenarioParser.parse(text: text, file: file)
    return create(scenario.configuration)
  } catch {
    Library.fail("\(error)")
    errno = EINVAL
    return nil
  }
}

/// Reads a whole file of at most `limit` bytes (errno and message on failure).
func readText(_ path: String, limit: Int) -> String? {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else {
    let code = errno
    Library.fail("\(path): \(String(cString: strerror(code)))")
    errno = code
    return nil
  }
  defer { close(fd) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 {
      let code = errno
      Library.fail("\(path): \(String(cString: strerror(code)))")
      errno = code
      return nil
    }
    if n == 0 { break }
    bytes += chunk[0..<n]
    if bytes.count > limit {
      Library.fail("\(path): larger than \(limit) bytes")
      errno = EFBIG
      return nil
    }
  }
  return String(decoding: bytes, as: UTF8.self)
}

@_cdecl("cmdqv_system_destroy")
public func cmdqvSystemDestroy(_ pointer: OpaquePointer?) {
  guard let system = Library.system(pointer) else { return }
  for (fd, descriptor) in Library.descriptors {
    switch descriptor {
    case .iommufd(let owner, _), .event(let owner, _):
      guard owner === system else { continue }
      _ = cmdqvClose(fd)
      if Library.descriptors[fd] != nil {
        Library.descriptors[fd] = nil
        _ = cmdqv_support_close(fd)
      }
    }
  }
  for window in system.windows where window.mapping.isMapped { window.mapping.munmap() }
  try? system.trace?.close()
  system.trace = nil
  Unmanaged<CSystem>.fromOpaque(UnsafeRawPointer(pointer!)).release()
}

@_cdecl("cmdqv_step")
public func cmdqvStep(_ pointer: OpaquePointer?, _ cycles: UInt64) {
  guard let system = Library.system(pointer) else { return }
  var left = cycles
  while left > 0 {
    let chunk = min(left, UInt64(Int.max))
    system.system.step(cycles: Int(chunk))
    left -= chunk
  }
  system.refreshReadiness()
}

@_cdecl("cmdqv_run")
public func cmdqvRun(_ pointer: OpaquePointer?, _ maxCycles: UInt64) -> UInt64 {
  guard let system = Library.system(pointer) else { return 0 }
  let device = system.system.device
  let start = device.cycle
  let queues = device.configuration.numVCMDQs
  device.run(
    until: { d in
      let main = d.smmuCMDQ
      guard !main.enabled || main.pending == 0 || main.errorPending else { return false }
      return (0..<queues).allSatisfy { q in
        let s = d.vcmdq(q)
        return !s.enabled || s.pending == 0 || s.errorPending
      }
    }, maxCycles: Int(min(maxCycles, UInt64(Int.max))))
  system.system.deliverInterrupts()
  system.refreshReadiness()
  return device.cycle - start
}

@_cdecl("cmdqv_cycle")
public func cmdqvCycle(_ pointer: OpaquePointer?) -> UInt64 {
  Library.system(pointer)?.system.device.cycle ?? 0
}

@_cdecl("cmdqv_trace_open")
public func cmdqvTraceOpen(
  _ pointer: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ format: UnsafePointer<CChar>?
) -> Int32 {
  guard let system = Library.system(pointer), let path else {
    errno = EINVAL
    return -1
  }
  let formatName = format.map { String(cString: $0) } ?? "jsonl"
  let traceFormat: TraceFormat
  switch formatName {
  case "jsonl", "json": traceFormat = .jsonLines
  case "text": traceFormat = .text
  default:
    Library.fail("cmdqv_trace_open: unknown format \"\(formatName)\" (jsonl, text)")
    errno = EINVAL
    return -1
  }
  _ = cmdqvTraceClose(pointer)
  do {
    let session = try TraceSession(to: .file(String(cString: path)), format: traceFormat)
    system.trace = session
    system.system.attach(session.writer)
    return 0
  } catch {
    Library.fail("cmdqv_trace_open: \(error)")
    errno = EIO
    return -1
  }
}

@_cdecl("cmdqv_trace_close")
public func cmdqvTraceClose(_ pointer: OpaquePointer?) -> Int32 {
  guard let system = Library.system(pointer), let session = system.trace else { return 0 }
  system.system.detach(session.writer)
  system.trace = nil
  do {
    try session.close(endCycle: system.system.device.cycle)
    return 0
  } catch {
    Library.fail("cmdqv_trace_close: \(error)")
    errno = EIO
    return -1
  }
}
