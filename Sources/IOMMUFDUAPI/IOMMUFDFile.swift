import CCMDQV
import IOMMUFD

/// An open `/dev/iommu` at byte level: `ioctl(request:argument:)` takes the
/// v6.17 `struct iommu_*` layouts (cmdqv.h) in raw memory, applies the
/// kernel's dispatch rules (`iommufd_fops_ioctl`, drivers/iommu/iommufd/
/// main.c, v6.17) and runs the typed ``IOMMUFDContext`` calls; vEVENTQ and
/// fault queues get descriptors whose ``read(descriptor:into:count:)``
/// follows the kernel's `read()`.
///
/// Dispatch, in the kernel's order:
/// 1. `nr` outside the table → `ENOTTY` (the VFIO compatibility ioctls,
///    `iommufd_vfio_ioctl`, are not modelled: all of them are `ENOTTY`);
/// 2. the `u32 size` at `argument` cannot be read → `EFAULT`;
/// 3. the full request is not `_IO(';', nr)` (direction or size bits set, or
///    an empty slot) → `ENOTTY`;
/// 4. `size < min_size` → `EINVAL`;
/// 5. `size > sizeof(struct)` with a non-zero byte past the struct → `E2BIG`
///    (`copy_struct_from_user`); a shorter struct is zero-extended;
/// 6. the handler; output fields are copied back for
///    `min(size, sizeof(struct))` bytes (`iommufd_ucmd_respond`), so a short
///    struct gets truncated output.
public final class IOMMUFDFile {
  public let context: IOMMUFDContext
  public let userMemory: any UserMemoryMapper
  public let descriptors: any DescriptorSource
  /// CONFIG_IOMMUFD_TEST: whether `IOMMU_TEST_CMD` (0xA0) is in the table.
  public let selftest: Bool
  /// The errno of the last failing call, with the model's message.
  public internal(set) var lastError: Errno?
  /// Open vEVENTQ and fault-queue files by descriptor.
  public internal(set) var eventFiles: [Int32: EventFile] = [:]
  /// User ranges `IOMMU_IOAS_MAP` pinned: (IOAS, IOVA) → (physical address, length).
  var userMappings: [UserMappingKey: (physicalAddress: UInt64, length: UInt64)] = [:]
  public internal(set) var isClosed = false

  struct UserMappingKey: Hashable {
    var ioas: UInt32
    var iova: UInt64
  }

  public init(
    context: IOMMUFDContext, userMemory: any UserMemoryMapper = ProcessMemory(),
    descriptors: any DescriptorSource = NumberedDescriptors(), selftest: Bool = false
  ) {
    self.context = context
    self.userMemory = userMemory
    self.descriptors = descriptors
    self.selftest = selftest
  }

  /// The commands this file dispatches, indexed by `nr - 0x80`; `nil` for an
  /// empty slot.
  public var table: [UAPICommand?] {
    guard selftest else { return UAPICommand.table }
    return UAPICommand.table + [UAPICommand?](repeating: nil, count: 11) + [UAPICommand.testCommand]
  }

  /// `ioctl(2)` on the iommufd: 0, or the errno (also kept in ``lastError``).
  @discardableResult
  public func ioctl(request: UInt, argument: UnsafeMutableRawPointer?) -> Int32 {
    do {
      try dispatch(request: request, argument: argument)
      lastError = nil
      refreshReadiness()
      return 0
    } catch {
      lastError = error
      refreshReadiness()
      return error.code
    }
  }

  /// The same as ``ioctl(request:argument:)``, throwing the `Errno`.
  public func call(request: UInt, argument: UnsafeMutableRawPointer?) throws(Errno) {
    let rc = ioctl(request: request, argument: argument)
    if rc != 0 { throw lastError ?? Errno(code: rc, name: "errno \(rc)") }
  }

  func dispatch(request: UInt, argument: UnsafeMutableRawPointer?) throws(Errno) {
    precondition(!isClosed, "IOMMUFDFile: ioctl after close")
    let cmd = UInt32(truncatingIfNeeded: request)
    let nr = cmd & 0xFF
    let table = self.table
    guard nr >= UAPICommand.commandBase, Int(nr - UAPICommand.commandBase) < table.count else {
      throw Errno(code: 25, name: "ENOTTY", message: "ioctl 0x\(String(cmd, radix: 16)): not an iommufd command")
    }
    let sizeBytes = UserPointer.readPrefix(UInt64(UInt(bitPattern: argument)), count: 4)
    guard let argument, sizeBytes.count == 4 else {
      throw Errno.efault("ioctl 0x\(String(cmd, radix: 16)): cannot read size at the argument")
    }
    let userSize = Int(sizeBytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
    guard let command = table[Int(nr - UAPICommand.commandBase)], command.request == cmd else {
      throw Errno(
        code: 25, name: "ENOTTY",
        message: "ioctl 0x\(String(cmd, radix: 16)): no such iommufd command (an _IO(';', nr) number is expected)")
    }
    guard userSize >= command.minSize else {
      throw Errno.einval("\(command.name): size \(userSize) < min_size \(command.minSize)")
    }
    let ucmd = try UCmd(command: command, argument: argument, userSize: userSize)
    guard command.isModelled else {
      throw Errno.eopnotsupp("\(command.name): not modelled")
    }
    try execute(ucmd)
  }

  func execute(_ ucmd: UCmd) throws(Errno) {
    switch ucmd.command.nr {
    case 0x80: try destroy(ucmd)
    case 0x81: try ioasAlloc(ucmd)
    case 0x85: try ioasMap(ucmd)
    case 0x86: try ioasUnmap(ucmd)
    case 0x89: try hwptAlloc(ucmd)
    case 0x8A: try getHWInfo(ucmd)
    case 0x8D: try hwptInvalidate(ucmd)
    case 0x8E: try faultQueueAlloc(ucmd)
    case 0x90: try viommuAlloc(ucmd)
    case 0x91: try vdeviceAlloc(ucmd)
    case 0x93: try veventqAlloc(ucmd)
    case 0x94: try hwQueueAlloc(ucmd)
    case 0xA0: try testCommand(ucmd)
    default: throw Errno.eopnotsupp("\(ucmd.command.name): not modelled")
    }
  }

  /// `IOMMU_DESTROY`. An object whose file (vEVENTQ or fault fd) is still
  /// open is `EBUSY`: the file holds a `users` reference.
  func destroy(_ ucmd: UCmd) throws(Errno) {
    let cmd = ucmd.load(iommu_destroy.self)
    if context.object(cmd.id) is VEventQueue, eventFiles.values.contains(where: { $0.objectID == cmd.id }) {
      throw Errno.ebusy("IOMMU_DESTROY: vEVENTQ \(cmd.id) still has its fd open")
    }
    try context.destroy(cmd.id)
  }

  /// Keeps each event file's readiness (`EPOLLIN`) in step with its queue.
  public func refreshReadiness() {
    for file in eventFiles.values {
      descriptors.setReadable(file.descriptor, isReadable(file))
    }
  }

  func isReadable(_ file: EventFile) -> Bool {
    switch file.kind {
    case .veventq: !((try? context.pendingEvents(file.objectID)) ?? []).isEmpty
    case .fault: ((context.object(file.objectID) as? FaultQueue)?.pendingGroupCount ?? 0) > 0
    }
  }
}
