/// How software may access a field (the `access:` key of the register map).
public enum FieldAccess: String, Hashable, Sendable, CaseIterable {
  /// Read/write.
  case readWrite = "rw"
  /// Read-only: writes are ignored (the hardware owns the value).
  case readOnly = "ro"
  /// Write-only: reads return zero.
  case writeOnly = "wo"
  /// Write one to clear.
  case writeOneToClear = "w1c"
  /// Reserved: writes preserve the current value and are reported.
  case reserved = "rsvd"
}
