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
  /// Per opcode byte: `,"op":"…","dwords":[`, built on first use.
  private let jsonOps: UnsafeMutablePointer<TraceBytes?>

  init() {
    jsonOps = .allocate(capacity: 256)
    jsonOps.initialize(repeating: nil, count: 256)
  }

  deinit {
    jsonSourceBytes.deallocate()
    textSourceBytes.deallocate()
    for i in 0..<256 { jsonOps[i]?.deallocate() }
    jsonOps.deinitialize(count: 256)
    jsonOps.deallocate()
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
    return bytes
  }
}
