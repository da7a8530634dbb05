/// A Linux errno as the iommufd ioctls return it (negated in the kernel),
/// with a message naming the check that failed.
///
/// Equality and hashing compare only ``code``, so a test can write
/// `#expect(throws: Errno.ebusy) { … }` while the thrown value still carries a
/// message such as
/// `EBUSY (16): IOMMU_DESTROY: object 7 (HW_QUEUE) still has 2 users`.
public struct Errno: Error, Hashable, CustomStringConvertible, Sendable {
  /// The Linux numeric value (positive, as in `errno.h`).
  public let code: Int32
  /// The symbolic name, for example `EBUSY`.
  public let name: String
  /// Which check failed (empty for the bare constants).
  public let message: String

  public init(code: Int32, name: String, message: String = "") {
    self.code = code
    self.name = name
    self.message = message
  }

  /// The same errno with `message` attached: `Errno.ebusy("…")`.
  public func callAsFunction(_ message: String) -> Errno {
    Errno(code: code, name: name, message: message)
  }

  public static func == (lhs: Errno, rhs: Errno) -> Bool { lhs.code == rhs.code }
  public func hash(into hasher: inout Hasher) { hasher.combine(code) }

  public var description: String {
    message.isEmpty ? "\(name) (\(code))" : "\(name) (\(code)): \(message)"
  }

  public static let eperm = Errno(code: 1, name: "EPERM")
  public static let enoent = Errno(code: 2, name: "ENOENT")
  public static let eio = Errno(code: 5, name: "EIO")
  public static let enxio = Errno(code: 6, name: "ENXIO")
  public static let e2big = Errno(code: 7, name: "E2BIG")
  public static let ebadf = Errno(code: 9, name: "EBADF")
  public static let enomem = Errno(code: 12, name: "ENOMEM")
  public static let efault = Errno(code: 14, name: "EFAULT")
  public static let ebusy = Errno(code: 16, name: "EBUSY")
  public static let eexist = Errno(code: 17, name: "EEXIST")
  public static let enodev = Errno(code: 19, name: "ENODEV")
  public static let einval = Errno(code: 22, name: "EINVAL")
  public static let enotty = Errno(code: 25, name: "ENOTTY")
  public static let enospc = Errno(code: 28, name: "ENOSPC")
  public static let espipe = Errno(code: 29, name: "ESPIPE")
  public static let erange = Errno(code: 34, name: "ERANGE")
  /// `EDEADLK`/`EDEADLOCK` (the same value on Linux).
  public static let edeadlk = Errno(code: 35, name: "EDEADLK")
  public static let eoverflow = Errno(code: 75, name: "EOVERFLOW")
  public static let eopnotsupp = Errno(code: 95, name: "EOPNOTSUPP")
  public static let etimedout = Errno(code: 110, name: "ETIMEDOUT")
}
