import IOMMUFD

/// One ioctl's argument after `copy_struct_from_user`: the struct zero-
/// extended (or checked-truncated) to the kernel's size.
struct UCmd {
  let command: UAPICommand
  let argument: UnsafeMutableRawPointer
  let userSize: Int
  let bytes: [UInt8]

  init(command: UAPICommand, argument: UnsafeMutableRawPointer, userSize: Int) throws(Errno) {
    self.command = command
    self.argument = argument
    self.userSize = userSize
    let address = UInt64(UInt(bitPattern: argument))
    guard UserPointer.isMapped(address, count: userSize) else {
      throw Errno.efault("\(command.name): \(userSize) bytes at the argument are not mapped")
    }
    if userSize > command.size {
      let tail = UnsafeRawBufferPointer(start: argument + command.size, count: userSize - command.size)
      if let index = tail.firstIndex(where: { $0 != 0 }) {
        throw Errno.e2big(
          "\(command.name): size \(userSize) > \(command.size) and byte \(command.size + index) is not zero")
      }
    }
    var bytes = [UInt8](repeating: 0, count: command.size)
    let count = min(userSize, command.size)
    bytes.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: argument, byteCount: count) }
    self.bytes = bytes
  }

  func load<T>(_ type: T.Type) -> T {
    precondition(MemoryLayout<T>.size == bytes.count, "UCmd.load: \(T.self) is not \(command.name)'s struct")
    return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
  }

  /// `iommufd_ucmd_respond`: copies `min(size, sizeof)` bytes back.
  func respond<T>(_ value: T) {
    precondition(MemoryLayout<T>.size == bytes.count, "UCmd.respond: \(T.self) is not \(command.name)'s struct")
    withUnsafeBytes(of: value) { argument.copyMemory(from: $0.baseAddress!, byteCount: min(userSize, bytes.count)) }
  }
}
