/// A register bit forced to a value on every read and write.
struct StuckBit {
  var smmuAperture: Bool
  /// Canonical (global, low-word) offset of the register.
  var offset: Int
  /// Bit within the whole register (0–63).
  var bit: Int
  var value: Bool
}
