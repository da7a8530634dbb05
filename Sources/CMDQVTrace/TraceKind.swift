/// The kind of a trace record, as trace files name it (the `kind` key).
public enum TraceKind: String, CaseIterable, Hashable, Sendable {
  case mmioRead = "mmio_r"
  case mmioWrite = "mmio_w"
  case command = "cmd"
  case commandError = "cmd_err"
  case state
  case fault
  case violation
  case irq
  case inject
  case note
  /// The start of a scenario step.
  case step
}
