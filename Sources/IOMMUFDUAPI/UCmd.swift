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
    if userSize > command.size,
      let index = try UserPointer.firstNonZero(
        address + UInt64(command.size), count: userSize - command.size, "\(command.name): the struct's tail")
    {
      throw Errno.e2big(
        "\(command.name): size \(userSize) > \(command.size) and byte \(command.size + index) is not zero")
    }
    var bytes = try UserPointer.read(address, count: min(userSize, command.size), command.name)
    bytes += [UInt8](repeating: 0, count: command.size - bytes.count)
    self.bytes = bytes
  }

  func load<T>(_ type: T.Type) -> T {
    precondition(MemoryLayout<T>.size == bytes.count, "UCmd.load: \(T.self) is not \(command.name)'s struct")
    return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
  }

  /// `iommufd_ucmd_respond`: copies `min(size, sizeof)` bytes back;
  /// `EFAULT` if the argument cannot be written.
  func respond<T>(_ value: T) throws(Errno) {
    precondition(MemoryLayout<T>.size == bytes.count, "UCmd.respond: \(T.self) is not \(command.name)'s struct")
    let out = withUnsafeBytes(of: value) { Array($0.prefix(min(userSize, bytes.count))) }
    try UserPointer.write(out, to: UInt64(UInt(bitPattern: argument)), "\(command.name): reply")
  }
}
