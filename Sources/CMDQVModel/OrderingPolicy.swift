/// What the device does when CMDQ_ALLOC breaks the LVCMDQ map/unmap order
/// (tegra241-cmdqv.c, v6.17: "HW requires to map LVCMDQs in ascending order"). In every policy the write itself still takes effect.
public enum OrderingPolicy: Hashable, Sendable {
  /// Record an ``OrderingFault`` (in `orderingFaults` and as an event).
  case record
  /// Stop the process at the offending write (`preconditionFailure` with the
  /// fault's description) so a debugger lands on the driver's write.
  case trap
  /// Do nothing.
  case ignore
}
