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

  /// ``emit(_:)`` for an executed command, through the sink's
  /// ``HardwareEventSink/recordCommand(_:sequence:cycle:)`` (no event is
  /// built for it); the closure still gets a whole event.
  func emitCommand(_ command: ExecutedCommand) {
    sequence += 1
    eventSink?.recordCommand(command, sequence: sequence, cycle: cycle)
    if let onEvent { onEvent(HardwareEvent(sequence: sequence, cycle: cycle, payload: .command(command))) }
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
  /// The last decode is kept: a traced poll or doorbell names the same
  /// register again and again, and the layout never changes.
  func registerInstance(at offset: Int, smmuAperture: Bool) -> RegisterInstance? {
    if let last = lastInstance, last.offset == offset, last.smmu == smmuAperture { return last.instance }
    let instance =
      smmuAperture ? SMMUv3Map.layout.decode(offset: offset) : Tegra241CMDQVMap.layout.decode(offset: offset)
    lastInstance = (offset, smmuAperture, instance)
    return instance
  }
}
