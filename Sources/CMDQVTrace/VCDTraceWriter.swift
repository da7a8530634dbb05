import CMDQVRegisters

/// Writes an IEEE 1364 Value Change Dump (loadable in GTKWave). One VCD time
/// unit is one model cycle (`$timescale 1 ns`, by convention); `$date` holds a
/// fixed string, never host time. The header and `$dumpvars` are written at
/// construction from the ``VCDSignalSet``; each event then adds value changes:
///
/// * an accepted `mmio_w` sets the register's signal to the access's `new`
///   (the whole register); a logical-page access drives the signal of the
///   global VCMDQ it resolved to;
/// * a state change sets the named register (property = register name) or the
///   named field of one of the entity's registers, a read-only one first
///   (`VINTF1.ENABLE_OK` → `VINTF1.STATUS` bit 0; `SMMU_CMDQ.SMMUEN` →
///   `SMMU.CR0ACK`); other properties are not shown;
/// * commands, command errors, interrupts, faults and rule violations count up in `events`.
///
/// Timestamps are the event cycles, written once per distinct cycle and
/// strictly increasing (a cycle below the last one is clamped to it). Memory
/// is one value per signal plus the bounded buffer.
public final class VCDTraceWriter: TraceWriter {
  private let buffer: TraceBuffer
  public let signals: VCDSignalSet
  private var values: [UInt64]
  private var time: UInt64 = 0
  // (entity, property) -> (signal, field or nil for the whole register); nil = not shown.
  private var stateTargets: [String: (signal: Int, field: FieldInfo?)?] = [:]
  private let irq: Int, cmd: Int, cmdErr: Int, fault: Int, violation: Int

  public init(output: any TraceOutput, signals: VCDSignalSet, bufferCapacity: Int = defaultTraceBufferCapacity) {
    buffer = TraceBuffer(output: output, capacity: bufferCapacity)
    self.signals = signals
    values = signals.signals.map(\.initial)
    irq = signals.index(map: "events", instance: VCDSignalSet.irqCount)!
    cmd = signals.index(map: "events", instance: VCDSignalSet.commandCount)!
    cmdErr = signals.index(map: "events", instance: VCDSignalSet.commandErrorCount)!
    fault = signals.index(map: "events", instance: VCDSignalSet.faultCount)!
    violation = signals.index(map: "events", instance: VCDSignalSet.violationCount)!
    writeHeader()
  }

  private func writeHeader() {
    buffer.append("$date\n\tmodel time only (no host date)\n$end\n")
    buffer.append("$version\n\tCMDQVTrace VCD writer, schema 1\n$end\n")
    buffer.append("$comment\n\t1 time unit = 1 model cycle\n$end\n")
    buffer.append("$timescale 1 ns $end\n")
    buffer.append("$scope module cmdqv $end\n")
    for s in signals.signals where s.scope.isEmpty { declare(s) }
    for scope in signals.scopes {
      buffer.append("$scope module \(scope) $end\n")
      for s in signals.signals where s.scope == scope { declare(s) }
      buffer.append("$upscope $end\n")
    }
    buffer.append("$upscope $end\n")
    buffer.append("$enddefinitions $end\n")
    buffer.append("#0\n$dumpvars\n")
    for (i, s) in signals.signals.enumerated() { buffer.append(change(i, s.initial)) }
    buffer.append("$end\n")
  }

  private func declare(_ s: VCDSignal) {
    buffer.append("$var wire \(s.width) \(s.id) \(s.name) $end\n")
  }

  /// `b0101… id`, all `width` bits.
  private func change(_ index: Int, _ value: UInt64) -> String {
    let s = signals.signals[index]
    let bits = String(value, radix: 2)
    return "b" + String(repeating: "0", count: max(0, s.width - bits.count)) + bits + " " + s.id + "\n"
  }

  public func record(_ event: HardwareEvent) {
    var changes: [(Int, UInt64)] = []
    switch event.payload {
    case .mmio(let a):
      if a.direction == .write, a.accepted, let reg = a.register, let new = a.new,
        let i = signalIndex(of: reg, resolvedVCMDQ: a.resolvedVCMDQ)
      {
        changes.append((i, new & reg.info.widthMask))
      }
    case .stateChange(let s):
      if let (i, field) = stateTarget(s) {
        let value = field.map { $0.insert(s.new, into: values[i]) } ?? s.new
        changes.append((i, value))
      }
    case .command: changes.append((cmd, values[cmd] &+ 1))
    case .commandError: changes.append((cmdErr, values[cmdErr] &+ 1))
    case .interrupt: changes.append((irq, values[irq] &+ 1))
    case .accessFault: changes.append((fault, values[fault] &+ 1))
    case .ruleViolation: changes.append((violation, values[violation] &+ 1))
    case .injection, .note: break
    }
    var wroteTime = false
    for (i, raw) in changes {
      let value = raw & (signals.signals[i].width >= 64 ? ~0 : (1 << UInt64(signals.signals[i].width)) - 1)
      guard value != values[i] else { continue }
      if !wroteTime {
        wroteTime = true
        if event.cycle > time {
          time = event.cycle
          buffer.append("#\(time)\n")
        }
      }
      values[i] = value
      buffer.append(change(i, value))
    }
  }

  private func signalIndex(of reg: RegisterInstance, resolvedVCMDQ: Int?) -> Int? {
    switch reg.block {
    case "VINTF_LVCMDQ_PAGE0", "VINTF_LVCMDQ_PAGE1":
      // A logical-page alias: drive the global VCMDQ's signal.
      guard let q = resolvedVCMDQ else { return nil }
      return signals.index(map: reg.map, instance: "VCMDQ\(q)_\(reg.info.name)")
    default:
      return signals.index(map: reg.map, instance: reg.name)
    }
  }

  private func stateTarget(_ s: StateChange) -> (Int, FieldInfo?)? {
    let cacheKey = "\(s.entity).\(s.property)"
    if let cached = stateTargets[cacheKey] { return cached.map { ($0.signal, $0.field) } }
    let entity = s.entity.hasPrefix("SMMU") ? "SMMU" : s.entity
    var found: (signal: Int, field: FieldInfo?)?
    let candidates = signals.signals.indices.filter { signals.signals[$0].entity == entity }
    if let i = candidates.first(where: { signals.signals[$0].info?.name == s.property }) {
      found = (i, nil)
    } else {
      // The hardware changes status/ack bits: prefer a read-only field
      // (SMMUEN is in CR0 and CR0ACK; the state change is about CR0ACK).
      let matches = candidates.compactMap { i in signals.signals[i].info?.field(named: s.property).map { (i, $0) } }
      if let m = matches.first(where: { $0.1.access == .readOnly }) ?? matches.first { found = (m.0, m.1) }
    }
    stateTargets[cacheKey] = .some(found)
    return found.map { ($0.signal, $0.field) }
  }

  public func flush() { buffer.flush() }
  public func close() { buffer.close() }
  public var bufferHighWaterMark: Int { buffer.highWaterMark }
  public var bufferCapacity: Int { buffer.capacity }
  public var writeError: (any Error)? { buffer.error }

  deinit { buffer.close() }
}
