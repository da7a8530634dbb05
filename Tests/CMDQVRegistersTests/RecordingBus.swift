import CMDQVRegisters

/// A plain memory-backed bus that records every access, for testing the
/// accessor verbs without the hardware model.
final class RecordingBus: MMIOBus {
  enum Access: Equatable { case r32(Int), w32(Int, UInt32), r64(Int), w64(Int, UInt64) }
  var words: [Int: UInt32] = [:]
  var log: [Access] = []
  var initiators: [Initiator] = []

  func read32(at offset: Int, from initiator: Initiator) -> UInt32 {
    log.append(.r32(offset))
    initiators.append(initiator)
    return words[offset] ?? 0
  }
  func write32(_ value: UInt32, at offset: Int, from initiator: Initiator) {
    log.append(.w32(offset, value))
    initiators.append(initiator)
    words[offset] = value
  }
  func read64(at offset: Int, from initiator: Initiator) -> UInt64 {
    log.append(.r64(offset))
    initiators.append(initiator)
    return UInt64(words[offset] ?? 0) | UInt64(words[offset + 4] ?? 0) << 32
  }
  func write64(_ value: UInt64, at offset: Int, from initiator: Initiator) {
    log.append(.w64(offset, value))
    initiators.append(initiator)
    words[offset] = UInt32(truncatingIfNeeded: value)
    words[offset + 4] = UInt32(truncatingIfNeeded: value >> 32)
  }
}
