import CMDQVModel

/// An `inject:` step, mapped onto the device's fault-injection API.
public enum ScenarioInjection: Sendable {
  case stuckHandshake(HandshakeEntity)
  case commandError(code: UInt8, queue: QueueSelector, at: Int)
  case fetchAbort(base: UInt64, length: UInt64)
  case stuckBit(offset: Int, bit: Int, value: Bool)
  case clear
}
