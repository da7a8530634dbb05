/// `mmap()` `prot` bits (`PROT_READ`, `PROT_WRITE`, `PROT_EXEC`).
public struct MMapProtection: OptionSet, Hashable, Sendable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let read = MMapProtection(rawValue: 1)
  public static let write = MMapProtection(rawValue: 2)
  /// `PROT_EXEC` (`VM_EXEC`): refused with `EPERM`.
  public static let exec = MMapProtection(rawValue: 4)
}
