import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import CMDQVTrace

/// One interactive stepping session: reads commands, runs them against a
/// ``ScenarioExecution`` and prints what changed as trace text lines.
final class StepSession {
  let execution: ScenarioExecution
  let io: CLIContext
  let registers: ConfiguredRegisterMap
  /// Events since the last command, reads left out (they change nothing).
  private var changes: [HardwareEvent] = []

  init(scenario: Scenario, io: CLIContext) {
    execution = ScenarioExecution(scenario: scenario)
    self.io = io
    registers = ConfiguredRegisterMap(configuration: scenario.configuration)
    execution.onEvent = { [unowned self] event in
      if case .mmio(let a) = event.payload, a.direction == .read { return }
      changes.append(event)
    }
  }

  var scenario: Scenario { execution.scenario }

  func loop() -> Int32 {
    io.stdout.line(
      "scenario \(scenario.name) (\(scenario.file)): \(scenario.steps.count) steps; type 'help' for commands")
    while true {
      if io.terminal.stdin { io.stdout.write("cmdqv> ") }
      guard let line = io.stdin.readLine() else { break }
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
    changes.removeAll()
    switch command {
    case "next", "n":
      try arity(0...0, "next")
      runStep()
      printChanges()
    case "step", "s":
      try arity(1...1, "step N")
      let n = try number(args[0], "N", bits: 30)
      execution.system.step(cycles: Int(n))
      io.stdout.line("cycle \(execution.system.device.cycle)")
      printChanges()
    case "regs":
      try arity(0...1, "regs [PATTERN]")
      printRegisters(try args.first.map { (text) throws(UsageError) in try RegisterPattern(text) })
    case "read", "r":
      try arity(1...1, "read OFFSET")
      let offset = Int(try number(args[0], "OFFSET", bits: 27))
      let value = execution.system.device.read(at: offset, width: 32)
      let name = registers.layout.decode(offset: offset)?.accessName ?? "-"
      io.stdout.line("\(RegisterMaps.hex(offset)) \(name) = \(RegisterMaps.hex(value, width: 8))")
      printChanges()
    case "write", "w":
      try arity(2...2, "write OFFSET VALUE")
      let offset = Int(try number(args[0], "OFFSET", bits: 27))
      let value = try number(args[1], "VALUE", bits: 32)
      execution.system.device.write(value, at: offset, width: 32)
      execution.system.deliverInterrupts()
      printChanges()
    case "state":
      try arity(0...0, "state")
      io.stdout.line(execution.system.device.description)
    case "continue", "c":
      try arity(0...0, "continue")
      while !execution.isFinished { runStep() }
      io.stdout.write(execution.report.summary)
    case "help", "h", "?":
      io.stdout.write(HelpText.step)
    default:
      throw UsageError("unknown command '\(command)' (type 'help')", help: nil)
    }
  }

  func number(_ text: String, _ what: String, bits: Int) throws(UsageError) -> UInt64 {
    do { return try NumberArgument.parse(text, what: what, bits: bits, command: "step") } catch {
      throw UsageError(error.message, help: nil)
    }
  }

  func runStep() {
    let total = scenario.steps.count
    switch execution.executeNextStep() {
    case .passed(let index, let step, let detail):
      io.stdout.line("[\(index + 1)/\(total)] \(step.mark) \(step.title): \(detail)")
    case .failed(let failure):
      io.stdout.line("[\(failure.stepIndex + 1)/\(total)] \(failure)")
    case .finished:
      io.stdout.line(execution.failure.map { "stopped at the failed step: \($0)" } ?? "scenario finished (\(total) steps)")
    }
  }

  func printChanges() {
    if changes.isEmpty {
      io.stdout.line("no change")
    } else {
      for event in changes { io.stdout.line("  " + TraceRecord(event).textLine) }
    }
    changes.removeAll()
  }

  /// Current values by host reads. Logical-page aliases are left out: reading
  /// an unmapped LVCMDQ would be an access fault (read the global VCMDQn).
  func printRegisters(_ pattern: RegisterPattern?) {
    let device = execution.system.device
    var any = false
    for block in registers.layout.blocks where block.aliasOf == nil {
      for i in RegisterMapLayout(name: registers.layout.name, blocks: [block]).allInstances()
      where pattern?.matches(i.name) ?? true {
        let value =
          i.info.width == 64
          ? device.read(at: i.offset, width: 32) | device.read(at: i.offset + 4, width: 32) << 32
          : device.read(at: i.offset, width: 32)
        let fields = i.info.decodeFields(value).joined(separator: " ")
        io.stdout.line("\(i.name) = \(RegisterMaps.hex(value, width: i.info.width / 4))  \(fields)")
        any = true
      }
    }
    if !any { io.stdout.line("no register matches") }
  }
}
