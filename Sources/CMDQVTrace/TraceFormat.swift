/// A trace file format.
public enum TraceFormat: Sendable {
  /// One decoded text line per event.
  case text
  /// One JSON object per line (schema in `Docs/Tracing.md`).
  case jsonLines
  /// A Value Change Dump over a fixed signal set.
  case vcd(VCDSignalSet)
}
