import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import CMDQVTrace

/// One interactive stepping session: reads commands, runs them against a
/// scenario and prints what changed as trace text lines. Everything it does
/// to the device is journaled, so `back` can rebuild any earlier point by
/// replaying from the start (the model is deterministic).
final class StepSession {
  let scenario: Scenario
  let io: CLIContext
  let registers: ConfiguredRegisterMap
  private(set) var timeline: StepTimeline
  private(set) var journal: [StepJournalEntry] = []
  /// Register instances `peek`, `regs`, `break` and `watch` know: this
  /// device's CMDQV registers (aliases left out) and the SMMU's.
  let instances: [RegisterInstance]
  var breakpoints: [(id: Int, watch: Bool, pattern: RegisterPattern)] = []
  private var nextBreakpointID = 1

  init(scenario: Scenario, io: CLIContext) {
    self.scenario = scenario
    self.io = io
    registers = ConfiguredRegisterMap(configuration: scenario.configuration)
    timeline = StepTimeline(scenario: scenario)
    var list: [RegisterInstance] = []
    for block in registers.layout.blocks where block.aliasOf == nil {
      list += RegisterMapLayout(name: registers.layout.name, blocks: [block]).allInstances()
    }
    list += SMMUv3Map.layout.allInstances()
    instances = list
  }

  var execution: ScenarioExecution { timeline.execution }
  var device: CMDQVDevice { timeline.device }
  /// Scenario steps run so far.
  var stepsRun: Int { execution.nextStepIndex }

  func loop() -> Int32 {
    io.stdout.line(
      "scenario \(scenario.name) (\(scenario.file)): \(scenario.steps.count) steps; type 'help' for commands")
    while true {
      let line: String?
      if io.terminal.stdin, let editor = io.stdin.editor {
        line = editor.readLine(prompt: "cmdqv> ")
      } else {
        if io.terminal.stdin { io.stdout.write("cmdqv> ") }
        line = io.stdin.readLine()
      }
      guard let line else { break }
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      guard let command = words.first else { continue }
      if command == "quit" || command == "q" || command == "exit" { break }
      do throws(UsageError) {
        try perform(command, Array(words.dropFirst()))
      } catch {
        io.stderr.line("error: \(error.message)")
      }
    }
    if let error = io.stdin.error {
      io.stderr.line("cmdqv step: error: \(error)")
      return 2
    }
    return execution.failure == nil ? 0 : 1
  }

  func perform(_ command: String, _ args: [String]) throws(UsageError) {
    func arity(_ n: ClosedRange<Int>, _ usage: String) throws(UsageError) {
      guard n.contains(args.count) else { throw UsageError("usage: \(usage)", help: nil) }
    }
    switch command {
    case "next", "n":
      try arity(0...1, "next [N]")
      let n = args.isEmpty ? 1 : Int(try number(args[0], "N", bits: 30))
      runSteps(limit: n, until: nil, verbose: n == 1)
    case "until", "u":
      let condition = try StepCondition.parse(args) { (t, w) throws(UsageError) in try number(t, w, bits: 64) }
      runSteps(limit: Int.max, until: condition, verbose: false)
    case "continue", "c":
      try arity(0...0, "continue")
      runSteps(limit: Int.max, until: nil, verbose: false)
      if execution.isFinished { io.stdout.write(execution.report.summary) }
    case "back", "b":
      try back(args)
    case "break", "watch":
      try arity(0...1, "\(command) [PATTERN]")
      guard let text = args.first else { return listBreakpoints() }
      let pattern = try RegisterPattern(text)
      let matching = instances.filter { pattern.matches($0.name) }
      guard !matching.isEmpty else { throw UsageError("no register matches '\(text)'", help: nil) }
      breakpoints.append((nextBreakpointID, command == "watch", pattern))
      io.stdout.line("\(command) \(nextBreakpointID): \(text) (\(matching.count) register(s))")
      nextBreakpointID += 1
    case "delete", "d":
      try arity(0...1, "delete [ID]")
      if let text = args.first {
        let id = Int(try number(text, "ID", bits: 30))
        guard breakpoints.contains(where: { $0.id == id }) else { throw UsageError("no breakpoint \(id)", help: nil) }
        breakpoints.removeAll { $0.id == id }
      } else {
        breakpoints.removeAll()
      }
    case "step", "s":
      try arity(1...1, "step N")
      let n = Int(try number(args[0], "N", bits: 30))
      record(.cycles(n))
      io.stdout.line("cycle \(device.cycle)")
      printChanges(timeline.events)
    case "peek", "p":
      try arity(1...1, "peek REG")
      try peek(args[0])
    case "regs":
      try arity(0...1, "regs [PATTERN]")
      printRegisters(try args.first.map { (text) throws(UsageError) in try RegisterPattern(text) })
    case "read", "r":
      try arity(1...1, "read OFFSET")
      let offset = Int(try number(args[0], "OFFSET", bits: 27))
      record(.read(offset: offset))
      let value = timeline.events.compactMap { e -> UInt64? in
        if case .mmio(let a) = e.payload, a.direction == .read { a.value } else { nil }
      }.first ?? 0
      let name = registers.layout.decode(offset: offset)?.accessName ?? "-"
      io.stdout.line("\(RegisterMaps.hex(offset)) \(name) = \(RegisterMaps.hex(value, width: 8))")
      printChanges(timeline.events)
    case "write", "w":
      try arity(2...2, "write OFFSET VALUE")
      let offset = Int(try number(args[0], "OFFSET", bits: 27))
      let value = try number(args[1], "VALUE", bits: 32)
      record(.write(offset: offset, value: value))
      printChanges(timeline.events)
    case "state":
      try arity(0...0, "state")
      io.stdout.line("step \(stepsRun)/\(scenario.steps.count), cycle \(device.cycle)")
      io.stdout.line(device.description)
    case "help", "h", "?":
      io.stdout.write(Self.help)
    default:
      throw UsageError("unknown command '\(command)' (type 'help')", help: nil)
    }
  }

  func number(_ text: String, _ what: String, bits: Int) throws(UsageError) -> UInt64 {
    do { return try NumberArgument.parse(text, what: what, bits: bits, command: "step") } catch {
      throw UsageError(error.message, help: nil)
    }
  }

  /// Applies `entry` to the timeline and journals it.
  @discardableResult
  func record(_ entry: StepJournalEntry) -> StepResult? {
    journal.append(entry)
    return timeline.apply(entry)
  }

  // MARK: Running forward

  /// Runs up to `limit` scenario steps, stopping after a step that fails,
  /// satisfies `until` or hits a breakpoint or watch. `until cycle N` past the
  /// scenario's end runs the clock.
  func runSteps(limit: Int, until: StepCondition?, verbose: Bool) {
    var ran = 0
    while ran < limit {
      if execution.isFinished {
        if case .cycle(let n) = until, device.cycle < n {
          record(.cycles(Int(clamping: n - device.cycle)))
          io.stdout.line("cycle \(device.cycle): scenario finished, clock run to the cycle")
          return
        }
        io.stdout.line(
          execution.failure.map { "stopped at the failed step: \($0)" } ?? "scenario finished (\(scenario.steps.count) steps)")
        return
      }
      let watched = watchedValues()
      guard let result = record(.scenarioStep) else { return }
      ran += 1
      io.stdout.line(StepLine.text(result, total: scenario.steps.count))
      if verbose { printChanges(timeline.events) }
      if case .failed = result { return }
      if let hit = breakpointHit(timeline.events, before: watched) {
        io.stdout.line(hit)
        return
      }
      if let until, let match = until.match(timeline.events, cycle: device.cycle) {
        io.stdout.line("until: " + (match.map { TraceRecord($0).textLine } ?? "cycle \(device.cycle)"))
        return
      }
    }
  }

  /// Values of the watched registers, by instance index.
  private func watchedValues() -> [Int: UInt64?] {
    var out: [Int: UInt64?] = [:]
    for b in breakpoints where b.watch {
      for (i, r) in instances.enumerated() where b.pattern.matches(r.name) { out[i] = peekValue(r) }
    }
    return out
  }

  private func breakpointHit(_ events: [HardwareEvent], before: [Int: UInt64?]) -> String? {
    for b in breakpoints {
      if b.watch {
        for (i, old) in before.sorted(by: { $0.key < $1.key }) where b.pattern.matches(instances[i].name) {
          let new = peekValue(instances[i])
          if new != old {
            return "watch \(b.id): \(instances[i].name) \(old.map { RegisterMaps.hex($0) } ?? "-") -> \(new.map { RegisterMaps.hex($0) } ?? "-")"
          }
        }
      } else if let e = StepCondition.write(b.pattern, value: nil).match(events, cycle: device.cycle), let e {
        return "break \(b.id): \(TraceRecord(e).textLine)"
      }
    }
    return nil
  }

  private func listBreakpoints() {
    if breakpoints.isEmpty { io.stdout.line("no breakpoints or watches") }
    for b in breakpoints { io.stdout.line("\(b.watch ? "watch" : "break") \(b.id): \(b.pattern.text)") }
  }

  // MARK: Going back

  /// `back [N]` or `back until COND`: rebuilds the state after an earlier
  /// scenario step by replaying the journal from the start.
  func back(_ args: [String]) throws(UsageError) {
    let current = stepsRun
    let target: Int
    if args.first == "until" {
      let condition = try StepCondition.parse(Array(args.dropFirst())) { (t, w) throws(UsageError) in
        try number(t, w, bits: 64)
      }
      // Scan a throwaway replay for the last earlier step that satisfied it.
      let scan = StepTimeline(scenario: scenario)
      var steps = 0
      var found: Int?
      var pending: [HardwareEvent] = []
      for entry in journal {
        guard steps < current - 1 else { break }
        scan.apply(entry)
        pending += scan.events
        if entry == .scenarioStep {
          steps += 1
          if condition.match(pending, cycle: scan.device.cycle) != nil { found = steps }
          pending.removeAll()
        }
      }
      guard let found else {
        io.stdout.line("no earlier step matches; still after step \(current)")
        return
      }
      target = found
    } else {
      guard args.count <= 1 else { throw UsageError("usage: back [N] | back until write REG[=VALUE] | fault | cycle N", help: nil) }
      let n = args.isEmpty ? 1 : Int(try number(args[0], "N", bits: 30))
      target = max(0, current - n)
    }
    rewind(toStep: target)
    io.stdout.line("back to after step \(target)/\(scenario.steps.count), cycle \(device.cycle)")
  }

  /// Replays the journal up to and including scenario step `k` (0: the start).
  func rewind(toStep k: Int) {
    var prefix: [StepJournalEntry] = []
    var steps = 0
    if k > 0 {
      for entry in journal {
        prefix.append(entry)
        if entry == .scenarioStep {
          steps += 1
          if steps == k { break }
        }
      }
    }
    timeline = StepTimeline(scenario: scenario)
    journal = []
    for entry in prefix { record(entry) }
  }

  // MARK: Looking without touching

  func peekValue(_ r: RegisterInstance) -> UInt64? {
    device.peekRegister(map: r.map, offset: r.offset, width: r.info.width)
  }

  /// `peek REG`: the value of every register matching REG, read without side
  /// effects (no sequence number, no fault, no trace record).
  func peek(_ text: String) throws(UsageError) {
    let pattern = try RegisterPattern(text)
    let exact = instances.filter { $0.name.uppercased() == text.uppercased() }
    let matching = exact.isEmpty ? instances.filter { pattern.matches($0.name) } : exact
    guard !matching.isEmpty else { throw UsageError("no register matches '\(text)'", help: nil) }
    for r in matching { printRegister(r) }
  }

  private func printRegister(_ r: RegisterInstance) {
    guard let value = peekValue(r) else {
      io.stdout.line("\(r.name) = - (not readable in this configuration)")
      return
    }
    let fields = r.info.decodeFields(value).joined(separator: " ")
    io.stdout.line("\(r.name) = \(RegisterMaps.hex(value, width: r.info.width / 4))  \(fields)")
  }

  /// Current values, read without side effects.
  func printRegisters(_ pattern: RegisterPattern?) {
    var any = false
    for r in instances where pattern?.matches(r.name) ?? true {
      printRegister(r)
      any = true
    }
    if !any { io.stdout.line("no register matches") }
  }

  /// What changed: the events, reads left out (they change nothing).
  func printChanges(_ events: [HardwareEvent]) {
    let changes = events.filter { if case .mmio(let a) = $0.payload, a.direction == .read { false } else { true } }
    if changes.isEmpty {
      io.stdout.line("no change")
    } else {
      for event in changes { io.stdout.line("  " + TraceRecord(event).textLine) }
    }
  }

  static let help = """
    Commands (a step is one scenario step; N and VALUE take 0x/0b/0o):
      next [N], n [N]          run the next N steps (default 1; with 1, print what changed)
      until write REG[=VALUE]  run steps until one writes a register matching REG (with VALUE)
      until fault              run steps until one raises a command error or a fault
      until cycle N            run steps (then the clock) until cycle N
      continue, c              run the remaining steps and print the summary
      break [PATTERN]          stop after a step that writes a matching register (no PATTERN: list)
      watch [PATTERN]          stop after a step that changes a matching register's value
      delete [ID]              remove breakpoint/watch ID (no ID: all)
      back [N], b [N]          go back N steps (default 1): replays from the start
      back until write REG[=VALUE] | fault | cycle N
                               go back to the last earlier step that did that
      peek REG, p REG          read registers without side effects (name or pattern)
      regs [PATTERN]           every register's value, without side effects
      read OFFSET              a real host 32-bit read (it is traced)
      write OFFSET VALUE       a host 32-bit write
      step N, s N              run N clock cycles
      state                    the step, the cycle and the device's state
      help, h, ?               this list
      quit, q                  stop (end of input too)
    PATTERN/REG: a case-insensitive substring, or a glob with * and ? (VINTF1_*, *_CONS).
    Breakpoints, watches and until stop after the whole step that matched.

    """
}
