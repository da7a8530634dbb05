/// The families the rule book is organised by (one heading each in Docs/Rules.md).
public enum RuleFamily: String, CaseIterable, Hashable, Sendable {
  case handshakes = "Enable/disable handshakes"
  case vcmdqLifeCycle = "VCMDQ life cycle"
  case allocation = "LVCMDQ allocation and VINTF state"
  case streamIDs = "StreamID slots"
  case errors = "Error handling"
  case queueMemory = "Queue memory ownership"
  case flushes = "Flushes"
  case smmuQueue = "SMMU main command queue"
}
