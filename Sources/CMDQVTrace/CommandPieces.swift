import CMDQVRegisters

/// The parts of command records that repeat from one command to the next,
/// encoded once and copied: a queue's keys and name (the last queue seen;
/// a queue usually runs many commands in a row) and each opcode's name.
/// Copying them is what brings a traced command near the untraced rate
/// (issue 10's target); the bytes are those the uncached encoders write.
final class CommandPieces {
  // One writer owns the pieces and calls from one thread: no dynamic
  // exclusivity checks per command.
  @exclusivity(unchecked) private var source: CommandQueueID?
  @exclusivity(unchecked) private var jsonSourceBytes = TraceBytes(capacity: 128)
  @exclusivity(unchecked) private var textSourceBytes = TraceBytes(capacity: 64)
  /// Per opcode byte, built on first use: `,"op":"…","dwords":[`, the
  /// text's `] NAME`, and which decoded fields the opcode carries.
  private let jsonOps: UnsafeMutablePointer<TraceBytes?>
  private let textOps: UnsafeMutablePointer<TraceBytes?>
  private let fieldMasks: UnsafeMutablePointer<UInt8>

  /// Bits of ``fields(_:)``: ``ExecutedCommand/decodedFields`` present.
  static let streamID: UInt8 = 1
  static let vmid: UInt8 = 2
  static let asid: UInt8 = 4
  static let address: UInt8 = 8
  /// The mask was computed (0 is a valid mask).
  private static let known: UInt8 = 0x80

  init() {
    jsonOps = .allocate(capacity: 256)
    jsonOps.initialize(repeating: nil, count: 256)
    textOps = .allocate(capacity: 256)
    textOps.initialize(repeating: nil, count: 256)
    fieldMasks = .allocate(capacity: 256)
    fieldMasks.initialize(repeating: 0, count: 256)
  }

  deinit {
    jsonSourceBytes.deallocate()
    textSourceBytes.deallocate()
    for i in 0..<256 {
      jsonOps[i]?.deallocate()
      textOps[i]?.deallocate()
    }
    jsonOps.deinitialize(count: 256)
    jsonOps.deallocate()
    textOps.deinitialize(count: 256)
    textOps.deallocate()
    fieldMasks.deallocate()
  }

  /// Bytes a command record can take (JSON or text, with its newline):
  /// the longest cached pieces, plus every number at its widest and every
  /// key, with room to spare. A record that still outgrows it is encoded
  /// correctly, only with one more copy.
  var commandRecordBound: Int { 512 + longestPieces }
  @exclusivity(unchecked) private var longestPieces = 0

  private func noteLength(_ bytes: TraceBytes) { longestPieces = max(longestPieces, 2 * bytes.count) }

  /// Which of ``ExecutedCommand/decodedFields`` `command`'s opcode carries
  /// (they depend on the opcode byte only), as ``streamID`` … ``address`` bits.
  func fields(_ command: SMMUCommand) -> UInt8 {
    let i = Int(command.opcodeByte)
    let cached = fieldMasks[i]
    if cached & Self.known != 0 { return cached }
    let f = ExecutedCommand(command: SMMUCommand(dword0: UInt64(i)), source: .smmuCMDQ, consIndex: 0, cycle: 0)
      .decodedFields
    var mask = Self.known
    if f.streamID != nil { mask |= Self.streamID }
    if f.vmid != nil { mask |= Self.vmid }
    if f.asid != nil { mask |= Self.asid }
    if f.address != nil { mask |= Self.address }
    fieldMasks[i] = mask
    return mask
  }

  /// `] NAME` (text) for `command`'s opcode byte.
  func textOp(_ command: SMMUCommand) -> TraceBytes {
    let i = Int(command.opcodeByte)
    if let bytes = textOps[i] { return bytes }
    var bytes = TraceBytes(capacity: 32)
    bytes.text("] ")
    bytes.opName(command)
    textOps[i] = bytes
    noteLength(bytes)
    return bytes
  }

  private func select(_ q: CommandQueueID) {
    guard q != source else { return }
    source = q
    var j = jsonSourceBytes
    j.removeAll()
    j.text(",\"kind\":\"")
    j.kindName(.command)
    j.byte(0x22)
    j.jsonCommandSource(q)
    jsonSourceBytes = j
    var t = textSourceBytes
    t.removeAll()
    t.textCommandSource(q)
    textSourceBytes = t
    noteLength(j)
    noteLength(t)
  }

  /// `,"kind":"cmd"` through `,"cons":` for queue `q`.
  func jsonSource(_ q: CommandQueueID) -> TraceBytes {
    select(q)
    return jsonSourceBytes
  }

  /// `CMD <queue> [` for queue `q`.
  func textSource(_ q: CommandQueueID) -> TraceBytes {
    select(q)
    return textSourceBytes
  }

  /// `,"op":"<name>","dwords":[` for `command`'s opcode byte.
  func jsonOp(_ command: SMMUCommand) -> TraceBytes {
    let i = Int(command.opcodeByte)
    if let bytes = jsonOps[i] { return bytes }
    var bytes = TraceBytes(capacity: 48)
    bytes.jsonCommandOp(command)
    jsonOps[i] = bytes
    noteLength(bytes)
    return bytes
  }
}
