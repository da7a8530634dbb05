/// An MMIO access the device ignored (reads as zero, writes dropped).
public struct AccessFault: Hashable, Sendable {
  public enum Reason: String, Hashable, Sendable {
    /// No register at this offset (or outside the aperture).
    case unmapped
    /// The offset is not aligned to the access width.
    case misaligned
    /// The register does not accept this width (a 64-bit access to a 32-bit
    /// register, or to a 64-bit register the map allows only as halves).
    case unsupportedWidth = "unsupported-width"
    /// A VINTF logical-page slot with no global VCMDQ assigned (no CMDQ_ALLOC
    /// entry names it, or its VINTF/LVCMDQ is beyond the configuration).
    case unassignedLogicalQueue = "unassigned-logical-queue"
    /// The register exists in the map but not in this device configuration
    /// (for example VINTF5 when PARAM says 2 VINTFs).
    case absentInConfiguration = "absent-in-configuration"
    /// A guest-tagged access outside the page0 of the guest's own VINTF
    /// (the only page a guest has mapped).
    case outsideGuestWindow = "outside-guest-window"
  }

  public var reason: Reason
  public var direction: MMIOAccess.Direction
  public var initiator: Initiator
  public var map: String
  public var offset: Int
  public var width: Int
  /// The value written (0 for reads).
  public var value: UInt64
  /// The register instance when the offset decodes to one.
  public var register: String?

  public init(
    reason: Reason, direction: MMIOAccess.Direction, initiator: Initiator, map: String, offset: Int, width: Int,
    value: UInt64, register: String? = nil
  ) {
    self.reason = reason
    self.direction = direction
    self.initiator = initiator
    self.map = map
    self.offset = offset
    self.width = width
    self.value = value
    self.register = register
  }
}

extension AccessFault: CustomStringConvertible {
  public var description: String {
    let what = direction == .read ? "read\(width)" : "write\(width) 0x\(String(value, radix: 16))"
    let reg = register.map { " (\($0))" } ?? ""
    return "access fault [\(reason.rawValue)]: \(initiator) \(what) at 0x\(String(offset, radix: 16))\(reg)"
  }
}
