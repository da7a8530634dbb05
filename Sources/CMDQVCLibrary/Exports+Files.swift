import CCMDQV
import CCMDQVSupport
import CMDQVTestSupport
import Glibc
import IOMMUFD
import IOMMUFDUAPI

/// Sets errno (and the message) from a failure; returns -1.
func failure(_ error: Errno) -> Int32 {
  Library.fail(error)
  errno = error.code
  return -1
}

func badDescriptor(_ fd: Int32, _ what: String) -> Int32 {
  failure(Errno.ebadf("\(what): descriptor \(fd) is not one of libcmdqvc's"))
}

@_cdecl("cmdqv_open")
public func cmdqvOpen(_ pointer: OpaquePointer?) -> Int32 {
  guard let system = Library.system(pointer) else { return failure(Errno.einval("cmdqv_open: system is NULL")) }
  let fd: Int32
  do {
    fd = try system.descriptors.openDescriptor(name: "/dev/iommu")
  } catch {
    return failure(error)
  }
  let file = system.system.openIOMMUFD(descriptors: system.descriptors)
  system.files[fd] = file
  Library.descriptors[fd] = .iommufd(system, file)
  return fd
}

@_cdecl("cmdqv_owns_fd")
public func cmdqvOwnsFD(_ fd: Int32) -> Int32 {
  Library.descriptors[fd] == nil ? 0 : 1
}

@_cdecl("cmdqv_ioctl")
public func cmdqvIoctl(_ fd: Int32, _ request: UInt, _ argument: UnsafeMutableRawPointer?) -> Int32 {
  guard let descriptor = Library.descriptors[fd] else { return badDescriptor(fd, "cmdqv_ioctl") }
  switch descriptor {
  case .iommufd(let system, let file):
    let rc = file.ioctl(request: request, argument: argument)
    // Event descriptors the call created become the library's.
    for (eventFD, _) in file.eventFiles where Library.descriptors[eventFD] == nil {
      Library.descriptors[eventFD] = .event(system, file)
    }
    guard rc == 0 else { return failure(file.lastError ?? Errno(code: rc, name: "errno \(rc)")) }
    return 0
  case .event:
    return failure(Errno(code: ENOTTY, name: "ENOTTY", message: "cmdqv_ioctl: event files have no ioctls"))
  }
}

@_cdecl("cmdqv_read")
public func cmdqvRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  guard let descriptor = Library.descriptors[fd] else { return Int(badDescriptor(fd, "cmdqv_read")) }
  switch descriptor {
  case .iommufd:
    return Int(failure(Errno.einval("cmdqv_read: an iommufd has no read")))
  case .event(_, let file):
    guard !file.isClosed, file.eventFiles[fd] != nil else { return 0 }
    let n = file.read(descriptor: fd, into: buffer, count: count)
    if n < 0 { return Int(failure(file.lastError ?? Errno(code: Int32(-n), name: "errno \(-n)"))) }
    return n
  }
}

@_cdecl("cmdqv_write")
public func cmdqvWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  guard let descriptor = Library.descriptors[fd] else { return Int(badDescriptor(fd, "cmdqv_write")) }
  switch descriptor {
  case .iommufd:
    return Int(failure(Errno.einval("cmdqv_write: an iommufd has no write")))
  case .event(_, let file):
    guard !file.isClosed, file.eventFiles[fd] != nil else {
      return Int(failure(Errno.einval("cmdqv_write: the queue is gone")))
    }
    let n = file.write(descriptor: fd, from: buffer, count: count)
    if n < 0 { return Int(failure(file.lastError ?? Errno(code: Int32(-n), name: "errno \(-n)"))) }
    return n
  }
}

/// close(2): an event descriptor drops its queue's reference; an iommufd
/// releases every object on it (its event descriptors stay open until
/// closed, reading 0).
@_cdecl("cmdqv_close")
public func cmdqvClose(_ fd: Int32) -> Int32 {
  guard let descriptor = Library.descriptors.removeValue(forKey: fd) else {
    return badDescriptor(fd, "cmdqv_close")
  }
  switch descriptor {
  case .iommufd(let system, let file):
    file.close()
    system.files[fd] = nil
    system.descriptors.forget(fd)
  case .event(let system, let file):
    if !file.isClosed { file.close(descriptor: fd) }
    system.descriptors.forget(fd)
  }
  _ = cmdqv_support_close(fd)
  return 0
}

@_cdecl("cmdqv_bind_device")
public func cmdqvBindDevice(_ fd: Int32, _ streamID: UInt32, _ out: UnsafeMutablePointer<UInt32>?) -> Int32 {
  guard case .iommufd(_, let file) = Library.descriptors[fd] else { return badDescriptor(fd, "cmdqv_bind_device") }
  do {
    let id = try file.context.bindDevice(streamIDs: [streamID])
    out?.pointee = id
    return 0
  } catch {
    return failure(error)
  }
}

@_cdecl("cmdqv_attach_device")
public func cmdqvAttachDevice(_ fd: Int32, _ device: UInt32, _ pt: UnsafeMutablePointer<UInt32>?) -> Int32 {
  guard case .iommufd(_, let file) = Library.descriptors[fd] else { return badDescriptor(fd, "cmdqv_attach_device") }
  guard let pt else { return failure(Errno.efault("cmdqv_attach_device: pt_id is NULL")) }
  do {
    pt.pointee = try file.context.vfioAttachPT(device: device, pt: pt.pointee)
    return 0
  } catch {
    return failure(error)
  }
}

@_cdecl("cmdqv_detach_device")
public func cmdqvDetachDevice(_ fd: Int32, _ device: UInt32) -> Int32 {
  guard case .iommufd(_, let file) = Library.descriptors[fd] else { return badDescriptor(fd, "cmdqv_detach_device") }
  do {
    try file.context.detachDevice(device)
    return 0
  } catch {
    return failure(error)
  }
}
