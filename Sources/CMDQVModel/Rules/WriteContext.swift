import CMDQVRegisters

/// The access a write rule is judged on.
struct WriteContext {
  var offset: Int
  var width: Int
  var value: UInt64
  var initiator: Initiator
  var smmuAperture: Bool
}
