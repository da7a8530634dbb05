import CMDQVRegisters

/// Writes an IEEE 1364 Value Change Dump (loadable in GTKWave) that shows
/// what the hardware did, not only what the host wrote:
///
/// * an accepted `mmio_w` sets its register's signal to the access's `new`
///   (the whole register); a logical-page access drives the global VCMDQ it
///   resolved to;
/// * a state change named after a register (`VCMDQ2.CONS`,
///   `CMDQV.VI_ERR_MAP`, `VINTF1.STATUS`, `SMMU.CR0ACK`) sets it; one named
///   after a field (`VINTF1.ENABLE_OK`) sets that field, preferring a
///   read-only field; others (`running`, `error_pending`) are not shown;
/// * a logical queue (`cmdqv.vintf1.lvcmdq0`) mirrors whichever VCMDQ its
///   CMDQ_ALLOC assignment points at, and follows re-assignments;
/// * every other kind of event steps its own ``VCDEventSignal``.
///
/// **Time.** Each event gets its own timestamp, `cycle × K + i`, where `i` is
/// the event's index within its cycle (0-based; from `K − 1` on, later
/// events of the same cycle share the last slot) and `K` is
/// ``slotsPerCycle`` (1000). The timescale is one slot, so GTKWave's axis
/// reads driver time: with 100 cycles per µs, a cycle is 10 ns and a slot
/// `10 ps`. ``end(atCycle:)`` writes the run's last cycle as the final
/// timestamp. `$date` holds a fixed string, never host time.
public final class VCDTraceWriter: TraceWriter {
  /// `K`: timestamps per model cycle.
  public static let slotsPerCycle: UInt64 = 1000

  private let buffer: TraceBuffer
  public let signals: VCDSignalSet
  public let cyclesPerMicrosecond: UInt64
  // The per-event state skips dynamic exclusivity checks (a writer is fed
  // from one thread and never re-entered); each event touches most of it.
  // Per signal, in buffers allocated once (no array uniqueness check or
  // retain per event): the value, whether it changed after `$dumpvars`.
  private let values: UnsafeMutablePointer<UInt64?>
  private let signalCount: Int
  /// Per signal, copied out of `signals` so the hot path copies no `VCDSignal`.
  private let widths: UnsafeMutablePointer<Int>
  /// Signal `i`'s VCD identifier is `idBytes[idStart[i]..<idStart[i + 1]]`
  /// (one allocation, nothing retained per change).
  private let idBytes: UnsafeMutablePointer<UInt8>
  private let idStart: [Int]
  private let eventSignals: [Int]
  /// Which signals changed after `$dumpvars` (for the save file).
  private let everChanged: UnsafeMutablePointer<Bool>
  @exclusivity(unchecked) private var time: UInt64 = 0
  @exclusivity(unchecked) private var timeWritten = true
  @exclusivity(unchecked) private var currentCycle: UInt64 = 0
  @exclusivity(unchecked) private var indexInCycle: UInt64 = 0
  @exclusivity(unchecked) private var seenEvent = false
  @exclusivity(unchecked) private var slotTime: UInt64 = 0
  @exclusivity(unchecked) private var line = TraceBytes()
  /// The decimal digits of `cycleDigitsOf` (see `timestamp`).
  @exclusivity(unchecked) private var cycleDigits = TraceBytes(capacity: 24)
  @exclusivity(unchecked) private var cycleDigitsOf: UInt64 = .max
  /// Per logical slot: the VCMDQ backing it, or -1.
  @exclusivity(unchecked) private var backing: [Int]
  /// Per signal: the VCMDQ whose CMDQ_ALLOC it shows, or -1.
  private let allocOwner: [Int]
  /// ``VCDSignalSet/vcmdqOfSignal``, copied out of `signals`.
  private let vcmdqOfSignal: [Int]
  /// The `cmd` event signal.
  private let commandSignal: Int
  // "entity.property" -> (signal, field or nil for the whole register); nil = not shown.
  private var stateTargets: [String: [String: (signal: Int, field: FieldInfo?)?]] = [:]

  /// A writer of `signals` to `output`. `initialValues(map, offset, width)`
  /// gives the registers' values when the trace starts (a device's
  /// side-effect-free `peekRegister`); without it, or where it returns nil,
  /// `$dumpvars` shows the map's reset values.
  public init(
    output: any TraceOutput, signals: VCDSignalSet,
    initialValues: ((_ map: String, _ offset: Int, _ width: Int) -> UInt64?)? = nil,
    bufferCapacity: Int = defaultTraceBufferCapacity
  ) {
    buffer = TraceBuffer(output: output, capacity: bufferCapacity)
    self.signals = signals
    self.cyclesPerMicrosecond = signals.cyclesPerMicrosecond
    signalCount = signals.signals.count
    widths = .allocate(capacity: max(signalCount, 1))
    widths.initialize(from: signals.signals.map(\.width), count: signalCount)
    var starts = [0]
    for s in signals.signals { starts.append(starts.last! + s.id.utf8.count) }
    idStart = starts
    idBytes = .allocate(capacity: max(starts.last!, 1))
    for (i, s) in signals.signals.enumerated() { (idBytes + starts[i]).initialize(from: Array(s.id.utf8), count: starts[i + 1] - starts[i]) }
    eventSignals = VCDEventSignal.allCases.map { signals.index(of: $0) }
    let initial: [UInt64?] = signals.signals.map { s in
      guard let map = s.map, let offset = s.offset, let v = initialValues?(map, offset, s.width) else { return s.initial }
      return v
    }
    values = .allocate(capacity: max(signalCount, 1))
    values.initialize(from: initial, count: signalCount)
    everChanged = .allocate(capacity: max(signalCount, 1))
    everChanged.initialize(repeating: false, count: signalCount)
    var owner = Array(repeating: -1, count: signals.signals.count)
    for (q, signal) in signals.allocSignal.enumerated() where owner[signal] < 0 { owner[signal] = q }
    allocOwner = owner
    vcmdqOfSignal = signals.vcmdqOfSignal
    commandSignal = eventSignals[VCDEventSignal.cmd.ordinal]
    backing = Array(repeating: -1, count: signals.aliasBase.count)
    // The aliases start as the reset CMDQ_ALLOC values assign them (all 0:
    // every VCMDQ is assigned to VINTF0 LVCMDQ0, VCMDQ0 backs it).
    for s in backing.indices {
      let lowest = (0..<signals.vcmdqs).first { slot(of: $0) == s } ?? -1
      backing[s] = lowest
      guard lowest >= 0 else { continue }
      let base = signals.aliasBase[s]
      for (k, signal) in signals.vcmdqSignals[lowest].enumerated() { values[base + k] = values[signal] }
      values[base + VCDSignalSet.aliasRegisters.count] = UInt64(lowest)
    }
    writeHeader()
    buffer.append("$end\n")
  }

  /// The `$timescale` that makes one slot read as driver time, or `nil`
  /// when `cyclesPerMicrosecond × K` does not give a power-of-ten unit.
  public static func timescale(cyclesPerMicrosecond cpu: UInt64) -> String? {
    let perSecond = cpu.multipliedReportingOverflow(by: slotsPerCycle * 1_000_000)
    guard cpu > 0, !perSecond.overflow else { return nil }
    // Slot length in femtoseconds: 10^15 / slots-per-second.
    let femto: UInt64 = 1_000_000_000_000_000
    guard femto % perSecond.partialValue == 0 else { return nil }
    var n = femto / perSecond.partialValue
    var exponent = 0
    while n % 10 == 0 {
      n /= 10
      exponent += 1
    }
    guard n == 1 else { return nil }
    let units = ["fs", "ps", "ns", "us", "ms", "s"]
    guard exponent / 3 < units.count else { return nil }
    return "\([1, 10, 100][exponent % 3]) \(units[exponent / 3])"
  }

  private func writeHeader() {
    buffer.append("$date\n\tmodel time only (no host date)\n$end\n")
    buffer.append("$version\n\tCMDQVTrace VCD writer, schema 2\n$end\n")
    let K = Self.slotsPerCycle
    if let scale = Self.timescale(cyclesPerMicrosecond: cyclesPerMicrosecond) {
      buffer.append(
        "$comment\n\ttime = cycle * \(K) + index of the event within its cycle; \(cyclesPerMicrosecond) cycles per us, so the axis reads driver time\n$end\n"
      )
      buffer.append("$timescale \(scale) $end\n")
    } else {
      buffer.append(
        "$comment\n\ttime = cycle * \(K) + index of the event within its cycle; \(cyclesPerMicrosecond) cycles per us is not a power of ten, so the unit is nominal\n$end\n"
      )
      buffer.append("$timescale 1 ps $end\n")
    }
    var open: [String] = []
    buffer.append("$scope module cmdqv $end\n")
    for s in signals.signals {
      var common = 0
      while common < open.count && common < s.scope.count && open[common] == s.scope[common] { common += 1 }
      while open.count > common {
        buffer.append("$upscope $end\n")
        open.removeLast()
      }
      for name in s.scope[common...] {
        buffer.append("$scope module \(name) $end\n")
        open.append(name)
      }
      let range = s.width > 1 ? " [\(s.width - 1):0]" : ""
      buffer.append("$var wire \(s.width) \(s.id) \(s.name)\(range) $end\n")
    }
    for _ in open { buffer.append("$upscope $end\n") }
    buffer.append("$upscope $end\n")
    buffer.append("$enddefinitions $end\n")
    buffer.append("#0\n$dumpvars\n")
    for i in signals.signals.indices {
      line.removeAll()
      encodeChange(i, values[i], into: &line)
      buffer.append(line)
    }
  }

  /// `b101 id` (leading zeros dropped, as VCD allows), or `bx id`.
  private func encodeChange(_ index: Int, _ value: UInt64?, into line: inout TraceBytes) {
    line.byte(0x62)  // b
    if let value { line.binary(value) } else { line.byte(0x78) }  // x
    line.byte(0x20)
    line.append(UnsafeBufferPointer(start: idBytes + idStart[index], count: idStart[index + 1] - idStart[index]))
    line.byte(0x0A)
  }

  /// Gives the next event of `cycle` its timestamp slot.
  private func advanceSlot(_ cycle: UInt64) {
    if !seenEvent || cycle != currentCycle {
      seenEvent = true
      currentCycle = cycle
      indexInCycle = 0
    } else {
      indexInCycle += 1
    }
    slotTime = cycle &* Self.slotsPerCycle &+ min(indexInCycle, Self.slotsPerCycle - 1)
    timeWritten = false
  }

  /// A command steps the `cmd` event signal (as ``record(_:)`` does for a
  /// `.command` event, without building one).
  public func recordCommand(_ command: ExecutedCommand, sequence: UInt64, cycle: UInt64) {
    advanceSlot(cycle)
    set(commandSignal, (values[commandSignal] ?? 0) &+ 1)
  }

  public func record(_ event: HardwareEvent) {
    advanceSlot(event.cycle)
    switch event.payload {
    case .mmio(let a):
      guard a.direction == .write, a.accepted, let reg = a.register, let new = a.new,
        let i = signalIndex(of: reg, resolvedVCMDQ: a.resolvedVCMDQ)
      else { break }
      set(i, new & reg.info.widthMask)
    case .stateChange(let s):
      if let (i, field) = stateTarget(s) {
        set(i, field.map { $0.insert(s.new, into: values[i] ?? 0) } ?? s.new)
      }
    default:
      if let e = VCDEventSignal(event.payload) {
        let i = eventSignals[e.ordinal]
        set(i, e.value(after: event.payload, previous: values[i] ?? 0))
      }
    }
  }


  /// Sets signal `i`, writing the event's timestamp before its first change,
  /// and keeps the logical-queue aliases in step.
  private func set(_ i: Int, _ raw: UInt64?) {
    let width = widths[i]
    let value = raw.map { width >= 64 ? $0 : $0 & ((1 << UInt64(width)) - 1) }
    guard value != values[i] else { return }
    // Encoded straight into the buffer's free space (no line to copy):
    // a timestamp and a change are at most 2 + 20 + 67 bytes plus the id.
    let room = 128 + idStart[i + 1] - idStart[i]
    let start = buffer.reserve(room)
    var l: TraceBytes
    if let start {
      l = TraceBytes(borrowing: start, capacity: room)
    } else {
      line.removeAll()
      l = line
    }
    if !timeWritten {
      timeWritten = true
      if slotTime > time {
        time = slotTime
        l.byte(0x23)  // #
        timestamp(&l)
        l.byte(0x0A)
      }
    }
    let old = values[i]
    values[i] = value
    everChanged[i] = true
    encodeChange(i, value, into: &l)
    if let start, l.base == start {
      buffer.commit(l.count)
    } else {
      buffer.append(l.buffer)  // the timestamp and the change in one copy
      if start != nil { l.deallocate() } else if l.base != line.base { line = l }
    }
    let q = vcmdqOfSignal[i]
    if q >= 0 {
      if let slot = slot(of: q), backing[slot] == q {
        set(signals.aliasBase[slot] + signals.aliasPositionOfSignal[i], value)
      }
    } else if allocOwner[i] >= 0 {
      remap(allocOf: allocOwner[i], old: old)
    }
  }

  /// `slotTime` in decimal. With K = 1000 and a cycle above 0 that is the
  /// cycle's digits (kept while the cycle lasts: a busy cycle has dozens
  /// of events) followed by the slot index as three digits.
  private func timestamp(_ l: inout TraceBytes) {
    guard Self.slotsPerCycle == 1000, currentCycle > 0, slotTime / 1000 == currentCycle else {
      l.decimal(slotTime)
      return
    }
    if cycleDigitsOf != currentCycle {
      cycleDigits.removeAll()
      cycleDigits.decimal(currentCycle)
      cycleDigitsOf = currentCycle
    }
    l.append(cycleDigits.buffer)
    let slot = Int(slotTime % 1000)
    l.byte(0x30 &+ UInt8(slot / 100))
    l.byte(0x30 &+ UInt8(slot / 10 % 10))
    l.byte(0x30 &+ UInt8(slot % 10))
  }

  /// The logical slot VCMDQ `q`'s CMDQ_ALLOC assigns it to, if declared.
  private func slot(of q: Int) -> Int? { slot(alloc: values[signals.allocSignal[q]] ?? 0) }

  private func slot(alloc: UInt64) -> Int? {
    let a = CMDQAlloc(rawValue: UInt32(truncatingIfNeeded: alloc))
    let v = Int(a.vintf), l = Int(a.lvcmdq)
    guard v < signals.vintfs, l < signals.lvcmdqsPerVINTF else { return nil }
    return v * signals.lvcmdqsPerVINTF + l
  }

  /// After VCMDQ `q`'s CMDQ_ALLOC changed from `old`: the slots it left and
  /// joined show their lowest assigned VCMDQ (as the hardware's alias
  /// decode does), or `x` when none is assigned.
  private func remap(allocOf q: Int, old: UInt64?) {
    var slots: [Int] = []
    if let s = slot(alloc: old ?? 0) { slots.append(s) }
    if let s = slot(of: q), !slots.contains(s) { slots.append(s) }
    for s in slots {
      let lowest = (0..<signals.vcmdqs).first { slot(of: $0) == s } ?? -1
      guard lowest != backing[s] else { continue }
      backing[s] = lowest
      let base = signals.aliasBase[s]
      for (k, signal) in (lowest >= 0 ? signals.vcmdqSignals[lowest] : []).enumerated() {
        set(base + k, values[signal])
      }
      if lowest < 0 {
        for k in 0..<VCDSignalSet.aliasRegisters.count { set(base + k, nil) }
      }
      set(base + VCDSignalSet.aliasRegisters.count, lowest >= 0 ? UInt64(lowest) : nil)
    }
  }

  private func signalIndex(of reg: RegisterInstance, resolvedVCMDQ: Int?) -> Int? {
    if let q = resolvedVCMDQ, reg.aperture == "vintf_page0" || reg.aperture == "vintf_page1" {
      // A logical-page alias: drive the global VCMDQ's signal.
      return signals.vcmdqSignal(q, register: reg.info.name)
    }
    return signals.index(map: reg.map, offset: reg.offset)
  }

  private func stateTarget(_ s: StateChange) -> (Int, FieldInfo?)? {
    if let cached = stateTargets[s.entity]?[s.property] { return cached.map { ($0.signal, $0.field) } }
    let entity = s.entity.hasPrefix("SMMU") ? "SMMU" : s.entity
    var found: (signal: Int, field: FieldInfo?)?
    let instance = "\(entity)_\(s.property)"
    if let i = signals.index(map: Tegra241CMDQVMap.layout.name, instance: instance)
      ?? signals.index(map: SMMUv3Map.layout.name, instance: instance)
    {
      found = (i, nil)
    } else {
      // The hardware changes status/ack bits: prefer a read-only field
      // (SMMUEN is in CR0 and CR0ACK; the state change is about CR0ACK).
      let candidates = signals.signals.indices.filter { signals.signals[$0].entity == entity }
      let matches = candidates.compactMap { i in signals.signals[i].info?.field(named: s.property).map { (i, $0) } }
      if let m = matches.first(where: { $0.1.access == .readOnly }) ?? matches.first { found = (m.0, m.1) }
    }
    stateTargets[s.entity, default: [:]][s.property] = .some(found)
    return found.map { ($0.signal, $0.field) }
  }

  /// Writes the run's last cycle as the final timestamp, so the waveform
  /// ends where the run ended (not at its last change).
  public func end(atCycle cycle: UInt64) {
    let end = cycle &* Self.slotsPerCycle
    guard end > time else { return }
    time = end
    line.removeAll()
    line.byte(0x23)
    line.decimal(time)
    line.byte(0x0A)
    buffer.append(line)
  }

  /// A GTKWave save file (`.gtkw`) for this trace: the dump file, then one
  /// group per scope whose signals changed (events first), every signal in
  /// hex. Open with `gtkwave run.vcd run.gtkw` (or `gtkwave run.gtkw`).
  public func gtkwaveSaveFile(dumpFile: String) -> String {
    var out = "[*] GTKWave save file written by CMDQVTrace (model time only)\n"
    out += "[dumpfile] \"\(dumpFile)\"\n"
    out += "[timestart] 0\n"
    var groups: [(name: String, members: [Int])] = []
    let eventsScope = ["events"]
    groups.append(("events", signals.signals.indices.filter { signals.signals[$0].scope == eventsScope }))
    var order: [[String]] = []
    var members: [[String]: [Int]] = [:]
    for (i, s) in signals.signals.enumerated() where s.scope != eventsScope {
      if members[s.scope] == nil { order.append(s.scope) }
      members[s.scope, default: []].append(i)
    }
    for scope in order {
      let m = members[scope] ?? []
      guard m.contains(where: { everChanged[$0] }) else { continue }
      groups.append((scope.isEmpty ? "cmdqv" : (["cmdqv"] + scope).joined(separator: "."), m))
    }
    for g in groups {
      out += "@800200\n-\(g.name)\n@22\n"
      for i in g.members { out += signals.signals[i].gtkwaveName + "\n" }
      out += "@1000200\n-\(g.name)\n"
    }
    return out
  }

  public func flush() { buffer.flush() }
  public func close() { buffer.close() }
  public var bufferHighWaterMark: Int { buffer.highWaterMark }
  public var bufferCapacity: Int { buffer.capacity }
  public var writeError: (any Error)? { buffer.error }

  deinit {
    buffer.close()
    line.deallocate()
    cycleDigits.deallocate()
    idBytes.deallocate()
    values.deinitialize(count: signalCount)
    values.deallocate()
    widths.deallocate()
    everChanged.deallocate()
  }
}
