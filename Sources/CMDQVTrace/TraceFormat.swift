/// A trace file format.
public enum TraceFormat {
  /// One decoded text line per event.
  case text
  /// One JSON object per line (schema in `Docs/Tracing.md`).
  case jsonLines
  /// A Value Change Dump over a fixed signal set.
  case vcd(VCDSignalSet)
  /// A Value Change Dump whose `$dumpvars` holds the registers' values when
  /// the trace starts, read by `initialValues(map, offset, width)` (a
  /// device's `peekRegister`).
  case vcdStartingFrom(VCDSignalSet, initialValues: (_ map: String, _ offset: Int, _ width: Int) -> UInt64?)
}
