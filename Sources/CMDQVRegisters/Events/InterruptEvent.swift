/// An edge on one of the device's interrupt lines.
public struct InterruptEvent: Hashable, Sendable {
  /// `CMDQV_ERR` (the CMDQV error interrupt) or `SMMU_GERROR`.
  public var line: String
  /// Edges on this line so far, this one included.
  public var count: Int
  /// What raised it, for example `VINTF1 LVCMDQ0 error`.
  public var cause: String

  public init(line: String, count: Int, cause: String) {
    self.line = line
    self.count = count
    self.cause = cause
  }
}

extension InterruptEvent: CustomStringConvertible {
  public var description: String { "irq \(line) #\(count): \(cause)" }
}
