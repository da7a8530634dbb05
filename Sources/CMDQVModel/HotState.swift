/// See ``CMDQVDevice/hot``.
struct HotState {
  var cycle: UInt64 = 0
  var observed = false
  var hasStuckBits = false
  var hasFetchAborts = false
  var recordsExecutedCommands = true
  var handshakesPending = false
  var runnableDirty = true
  var mmioAccesses = 0
  /// Entries in `CMDQVDevice.runnable`.
  var runnableCount = 0
  /// The round-robin position in `runnable` where the next cycle starts.
  var roundRobin = 0
  var exhaustiveScheduling = false
  /// Some rule is not ignored: writes and memory stores are checked.
  var rulesActive = true
  /// `CMDQVDevice.pendingViolations` is not empty.
  var violationsPending = false
  /// Sink of the fetch-ahead reads in `executeOne` (never read).
  var fetchAhead: UInt8 = 0
}
