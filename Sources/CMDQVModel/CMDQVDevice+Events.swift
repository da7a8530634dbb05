import CMDQVRegisters

extension CMDQVDevice {
  /// Stamps `payload` with the next sequence number and the cycle, and hands
  /// it to the sink and the closure.
  func emit(_ payload: HardwareEvent.Payload) {
    guard observed else { return }
    sequence += 1
    let event = HardwareEvent(sequence: sequence, cycle: cycle, payload: payload)
    eventSink?.record(event)
    onEvent?(event)
  }

  func stateChanged(_ entity: String, _ property: String, _ old: UInt64, _ new: UInt64) {
    if observed { emit(.stateChange(StateChange(entity: entity, property: property, old: old, new: new))) }
  }

  /// Adds a free-form note to the event stream (`# step 3: …`).
  public func note(_ text: String) { emit(.note(text)) }

  /// Marks the start of a scenario step in the event stream.
  public func markStep(_ marker: StepMarker) { emit(.step(marker)) }

  /// The register instance at `offset`, for event records (only decoded when
  /// someone is listening).
  func registerInstance(at offset: Int, smmuAperture: Bool) -> RegisterInstance? {
    smmuAperture ? SMMUv3Map.layout.decode(offset: offset) : Tegra241CMDQVMap.layout.decode(offset: offset)
  }
}
