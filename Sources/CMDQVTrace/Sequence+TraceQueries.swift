extension Sequence where Element == TraceRecord {
  /// The `mmio_w` records, optionally only those by `initiator` (`host`,
  /// `guest:1`), through `aperture`, to register instance `register`
  /// (exact, e.g. `VINTF1_CONFIG`), and matching `predicate`.
  public func writes(
    initiator: String? = nil, aperture: String? = nil, register: String? = nil,
    where predicate: ((TraceRecord) -> Bool)? = nil
  ) -> [TraceRecord] {
    filter { r in
      r.kind == .mmioWrite && (initiator == nil || r.initiator == initiator)
        && (aperture == nil || r.aperture == aperture) && (register == nil || r.reg == register)
        && (predicate?(r) ?? true)
    }
  }

  /// The records of `kind`.
  public func records(of kind: TraceKind) -> [TraceRecord] { filter { $0.kind == kind } }

  /// The whole trace as text, one line per record.
  public func renderText() -> String { map { $0.textLine + "\n" }.joined() }
}
