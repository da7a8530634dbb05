import CCMDQV
import Glibc
import IOMMUFD
import IOMMUFDUAPI

@_cdecl("cmdqv_mmap")
public func cmdqvMmap(_ fd: Int32, _ length: Int, _ prot: Int32, _ flags: Int32, _ offset: Int) -> OpaquePointer? {
  guard case .iommufd(let system, let file) = Library.descriptors[fd] else {
    _ = badDescriptor(fd, "cmdqv_mmap")
    return nil
  }
  do {
    let mapping = try file.mmap(length: UInt64(length), prot: prot, flags: flags, offset: UInt64(bitPattern: Int64(offset)))
    let window = CWindow(owner: system, mapping: mapping)
    system.windows.append(window)
    return OpaquePointer(Unmanaged.passRetained(window).toOpaque())
  } catch {
    _ = failure(error)
    return nil
  }
}

func window(_ pointer: OpaquePointer?) -> CWindow? {
  guard let pointer else { return nil }
  return Unmanaged<CWindow>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
}

@_cdecl("cmdqv_munmap")
public func cmdqvMunmap(_ pointer: OpaquePointer?) {
  guard let w = window(pointer) else { return }
  if w.mapping.isMapped { w.mapping.munmap() }
  w.owner.windows.removeAll { $0 === w }
  Unmanaged<CWindow>.fromOpaque(UnsafeRawPointer(pointer!)).release()
}

@_cdecl("cmdqv_window_vintf")
public func cmdqvWindowVINTF(_ pointer: OpaquePointer?) -> Int32 {
  window(pointer).flatMap { $0.vintf.map(Int32.init) } ?? -1
}

@_cdecl("cmdqv_window_read32")
public func cmdqvWindowRead32(_ pointer: OpaquePointer?, _ offset: Int) -> UInt32 {
  window(pointer)?.read32(offset) ?? 0xFFFF_FFFF
}

@_cdecl("cmdqv_window_write32")
public func cmdqvWindowWrite32(_ pointer: OpaquePointer?, _ offset: Int, _ value: UInt32) {
  guard let w = window(pointer) else { return }
  w.write32(value, offset)
  w.owner.refreshReadiness()
}

@_cdecl("cmdqv_window_read64")
public func cmdqvWindowRead64(_ pointer: OpaquePointer?, _ offset: Int) -> UInt64 {
  window(pointer)?.read64(offset) ?? .max
}

@_cdecl("cmdqv_window_write64")
public func cmdqvWindowWrite64(_ pointer: OpaquePointer?, _ offset: Int, _ value: UInt64) {
  guard let w = window(pointer) else { return }
  w.write64(value, offset)
  w.owner.refreshReadiness()
}
