/// The access masks the model applies on write, per register.
enum RegisterRules {
  static func rules(for kind: RegisterKind) -> (writable: UInt64, w1c: UInt64) {
    (kind.privateWritableMask, 0)
  }
}
