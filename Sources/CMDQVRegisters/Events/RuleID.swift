/// The stable identifier of a programming rule of the modelled hardware (the
/// rule book lives in `CMDQVModel`: `RuleBook`). The raw value is what traces,
/// scenarios (`expect_violation:`) and `cmdqv run --rules` spell.
///
/// IDs never change meaning; a rule that is dropped keeps its ID retired.
public enum RuleID: String, CaseIterable, Hashable, Sendable, Comparable {
  // Enable/disable handshakes.
  case cmdqvRetoggle = "HS-CMDQV-RETOGGLE"
  case vintfRetoggle = "HS-VINTF-RETOGGLE"
  case vcmdqRetoggle = "HS-VCMDQ-RETOGGLE"
  case smmuCR0Retoggle = "HS-SMMU-CR0-RETOGGLE"
  case vintfEnableCMDQVOff = "HS-VINTF-EN-CMDQV-OFF"
  case vcmdqEnableVINTFOff = "HS-VCMDQ-EN-VINTF-OFF"
  // VCMDQ life cycle.
  case vcmdqEnableUnmapped = "VCMDQ-EN-UNMAPPED"
  case vcmdqEnableInvalidBase = "VCMDQ-EN-INVALID-BASE"
  case vcmdqPage1WhileEnabled = "VCMDQ-PAGE1-WHILE-ENABLED"
  case vcmdqConsWhileEnabled = "VCMDQ-CONS-WHILE-ENABLED"
  case vcmdqUnmapEnabled = "VCMDQ-UNMAP-ENABLED"
  case vcmdqUnmapNotReset = "VCMDQ-UNMAP-NOT-RESET"
  // LVCMDQ allocation and VINTF state.
  case lvcmdqMapAscending = "LVCMDQ-MAP-ASCENDING"
  case lvcmdqUnmapDescending = "LVCMDQ-UNMAP-DESCENDING"
  case lvcmdqMapVINTFDisabled = "LVCMDQ-MAP-VINTF-DISABLED"
  case vintfDisableMapped = "VINTF-DISABLE-MAPPED"
  case allocReassignMapped = "ALLOC-REASSIGN-MAPPED"
  case vintfReconfigEnabled = "VINTF-RECONFIG-ENABLED"
  // StreamID slots.
  case sidReplaceWhileMatched = "SID-REPLACE-WHILE-MATCHED"
  case sidMatchRetargetLive = "SID-MATCH-RETARGET-LIVE"
  case sidMatchDuplicate = "SID-MATCH-DUPLICATE"
  // Error handling.
  case errorAckNotPending = "ERR-ACK-NOT-PENDING"
  case errorEnablePending = "ERR-EN-PENDING"
  case errorUnmapPending = "ERR-UNMAP-PENDING"
  case errorHostAckGuestQueue = "ERR-HOST-ACK-GUEST-QUEUE"
  // Queue memory.
  case queueWriteOwned = "QMEM-WRITE-OWNED"
  case queueProdOverrun = "QMEM-PROD-OVERRUN"
  case queueProdRetreat = "QMEM-PROD-RETREAT"
  // Flushes.
  case flushBeforeUnmap = "FLUSH-BEFORE-UNMAP"
  // SMMU main command queue.
  case smmuCMDQBaseWhileEnabled = "SMMU-CMDQ-BASE-WHILE-ENABLED"
  case smmuCMDQConsWhileEnabled = "SMMU-CMDQ-CONS-WHILE-ENABLED"

  /// Position in ``allCases`` (the rule book's order).
  public var ordinal: Int { Self.ordinals[self]! }

  private static let ordinals: [RuleID: Int] = Dictionary(
    uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })

  public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.ordinal < rhs.ordinal }
}

extension RuleID: CustomStringConvertible {
  public var description: String { rawValue }
}
