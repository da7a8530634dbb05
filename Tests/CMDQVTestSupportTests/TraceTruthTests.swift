import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import CMDQVTrace
import Foundation
import Testing

let shippedScenarioNames = ["vmm-lifecycle", "host-errors", "negative-ioctls"]

/// One run of a scenario with a trace of `format` in memory, and every event.
struct TracedRun {
  var execution: ScenarioExecution
  var bytes: [UInt8]
  var events: [HardwareEvent]
  var text: String { String(decoding: bytes, as: UTF8.self) }
  var device: CMDQVDevice { execution.system.device }

  enum Format { case text, jsonl, vcd }

  init(_ name: String, _ format: Format) throws {
    let scenario = try shippedScenario(name)
    execution = ScenarioExecution(scenario: scenario)
    let output = MemoryTraceOutput()
    let session = try TraceSession(
      to: .output(output), format: Self.traceFormat(format, scenario.configuration, execution.system.device))
    var events: [HardwareEvent] = []
    execution.onEvent = { events.append($0) }
    execution.eventSink = session.writer
    execution.runToEnd()
    execution.eventSink = nil
    try session.close(endCycle: execution.system.device.cycle)
    bytes = output.bytes
    self.events = events
  }

  /// The trace format; a VCD starts from `device`'s registers.
  static func traceFormat(_ format: Format, _ c: CMDQVConfiguration, _ device: CMDQVDevice) -> TraceFormat {
    switch format {
    case .text: .text
    case .jsonl: .jsonLines
    case .vcd:
      .vcdStartingFrom(
        VCDSignalSet(
          vintfs: c.numVINTFs, vcmdqs: c.numVCMDQs, lvcmdqsPerVINTF: c.numLVCMDQsPerVINTF,
          cyclesPerMicrosecond: c.cyclesPerMicrosecond),
        initialValues: device.peekRegister)
    }
  }
}

@Suite struct VCDTruthTests {
  let K = VCDTraceWriter.slotsPerCycle

  /// Every register signal of the dump ends with the value the model holds
  /// (read without side effects), and every logical-queue alias with the
  /// value of its logical page (`x` where no VCMDQ is assigned).
  @Test(arguments: shippedScenarioNames)
  func everyRegisterEndsWithTheModelsValue(_ name: String) throws {
    let run = try TracedRun(name, .vcd)
    #expect(run.execution.report.passed)
    let vcd = VCDReader(run.text)
    let signals = VCDSignalSet(
      vintfs: run.device.configuration.numVINTFs, vcmdqs: run.device.configuration.numVCMDQs,
      lvcmdqsPerVINTF: run.device.configuration.numLVCMDQsPerVINTF)
    var checked = 0
    for s in signals.signals {
      guard let map = s.map, let offset = s.offset else { continue }
      let model = run.device.peekRegister(map: map, offset: offset, width: s.width)
      #expect(vcd.final(s.path) == .some(model), "\(s.path) (\(s.instance ?? ""))")
      checked += 1
    }
    #expect(checked > 40)
    let logical = Tegra241CMDQVMap.layout.block("VINTF_LVCMDQ_PAGE0")
    let logical1 = Tegra241CMDQVMap.layout.block("VINTF_LVCMDQ_PAGE1")
    for v in 0..<signals.vintfs {
      for l in 0..<signals.lvcmdqsPerVINTF {
        let scope = "cmdqv.vintf\(v).lvcmdq\(l)"
        let cons = run.device.peek(at: logical.offset(of: VCMDQCons.info, indices: [v, l]))
        #expect(vcd.final(scope + ".cons") == .some(cons), "\(scope).cons")
        let base = run.device.peekRegister(
          map: Tegra241CMDQVMap.name, offset: logical1.offset(of: VCMDQBase.info, indices: [v, l]), width: 64)
        #expect(vcd.final(scope + ".base") == .some(base), "\(scope).base")
      }
    }
  }

  @Test func hardwareChangesAreDumpedWhenTheyHappen() throws {
    let run = try TracedRun("vmm-lifecycle", .vcd)
    let vcd = VCDReader(run.text)
    // CONS moves as the queues drain; the SMMU's CMDQ_CONS too.
    #expect(vcd.changes(of: "cmdqv.vcmdq2.cons").count >= 1)
    #expect(vcd.changes(of: "cmdqv.smmu.cmdq_cons").count >= 4)
    // The command error: CONS.ERR, GERROR, the error maps and VINTF STATUS.
    let error = try #require(run.events.first { if case .commandError = $0.payload { true } else { false } })
    for path in [
      "cmdqv.vcmdq3.gerror", "cmdqv.vi_err_map", "cmdqv.cmdq_err_map0", "cmdqv.vintf1.status",
      "cmdqv.vintf1.lvcmdq_err_map0", "cmdqv.events.cmd_err",
    ] {
      let change = vcd.changes(of: path).first { $0.time / K == error.cycle }
      #expect(change != nil, "\(path) changes in the error's cycle \(error.cycle)")
    }
    // VI_NUM_LVCMDQ (VINTF STATUS [23:16]) counts the allocations.
    #expect(vcd.changes(of: "cmdqv.vintf1.status").contains { ($0.value ?? 0) >> 16 & 0xFF == 2 })
    // The logical queue the guest writes follows its VCMDQ.
    #expect(vcd.changes(of: "cmdqv.vintf1.lvcmdq0.vcmdq").last?.value == 2)
  }

  @Test func everyEventHasItsOwnTimestamp() throws {
    let run = try TracedRun("vmm-lifecycle", .vcd)
    let vcd = VCDReader(run.text)
    // Slots per cycle: time = cycle × K + index of the event within the cycle.
    var index: [UInt64: UInt64] = [:]
    var slot: [UInt64: UInt64] = [:]  // seq -> time
    for e in run.events {
      let i = index[e.cycle, default: 0]
      index[e.cycle] = i + 1
      slot[e.sequence] = e.cycle * K + min(i, K - 1)
    }
    let fault = try #require(run.events.first { if case .ruleViolation = $0.payload { true } else { false } })
    let faultChanges = vcd.changes(of: "cmdqv.events.violation")
    #expect(faultChanges.map(\.time) == [slot[fault.sequence]!])
    // Nothing else changes at the violation's own timestamp ...
    #expect(vcd.changes.filter { $0.time == slot[fault.sequence]! }.map(\.path) == ["cmdqv.events.violation"])
    // ... and the CMDQ_ALLOC write that broke the rule lands right before it, in the same cycle.
    let write = try #require(
      run.events.last {
        guard $0.sequence < fault.sequence, case .mmio(let a) = $0.payload else { return false }
        return a.register?.name == "CMDQV_CMDQ_ALLOC3"
      })
    let alloc = vcd.changes(of: "cmdqv.vcmdq3.alloc").first { $0.time / K == fault.cycle }
    #expect(alloc?.time == slot[write.sequence])
    #expect((alloc?.time ?? .max) < slot[fault.sequence]!)
    // Two writes of one cycle are two timestamps.
    let sameCycle = Dictionary(grouping: vcd.changes.filter { !$0.path.contains("lvcmdq") }, by: { $0.time / K })
    #expect(sameCycle.values.contains { Set($0.map(\.time)).count > 3 })
  }

  @Test func theTimeAxisReadsDriverTimeAndEndsAtTheLastCycle() throws {
    let run = try TracedRun("vmm-lifecycle", .vcd)
    let vcd = VCDReader(run.text)
    #expect(run.device.configuration.cyclesPerMicrosecond == 100)
    #expect(vcd.timescale == "10 ps")  // 1 cycle = 10 ns = 1000 slots
    #expect(vcd.comment.contains("cycle * 1000"))
    #expect(vcd.timestamps.last == run.device.cycle * K)
  }

  @Test func aRunThatIdlesAfterItsLastEventStillEndsAtItsLastCycle() throws {
    let output = MemoryTraceOutput()
    let session = try TraceSession(to: .output(output), format: .vcd(VCDSignalSet(vintfs: 2, vcmdqs: 4)))
    let system = try CMDQVSystem(configuration: CMDQVConfiguration(log2VINTFs: 1, log2VCMDQs: 2))
    system.device.eventSink = session.writer
    system.device.write32(0x1, at: 0x1100, from: .host)
    system.device.step(cycles: 500)
    try session.close(endCycle: system.device.cycle)
    let vcd = VCDReader(output.string)
    #expect(vcd.timestamps.last == system.device.cycle * K)
    #expect(vcd.changes.last!.time < system.device.cycle * K)
  }

  @Test func timescales() {
    #expect(VCDTraceWriter.timescale(cyclesPerMicrosecond: 100) == "10 ps")
    #expect(VCDTraceWriter.timescale(cyclesPerMicrosecond: 1) == "1 ns")
    #expect(VCDTraceWriter.timescale(cyclesPerMicrosecond: 1000) == "1 ps")
    #expect(VCDTraceWriter.timescale(cyclesPerMicrosecond: 3) == nil)
  }
}

@Suite struct TraceDeterminismTests {
  @Test(arguments: shippedScenarioNames, [TracedRun.Format.text, .jsonl, .vcd])
  func twoRunsGiveByteIdenticalTraces(_ name: String, _ format: TracedRun.Format) throws {
    let a = try TracedRun(name, format), b = try TracedRun(name, format)
    #expect(!a.bytes.isEmpty)
    #expect(a.bytes == b.bytes)
  }

  /// The writers encode hot events straight from the event; the result is
  /// byte for byte what `TraceRecord` renders, and reads back to the same records.
  @Test(arguments: shippedScenarioNames)
  func directEncodingEqualsTheRecordRendering(_ name: String) throws {
    let jsonl = try TracedRun(name, .jsonl)
    let records = jsonl.events.map(TraceRecord.init)
    #expect(jsonl.text == records.map { $0.jsonLine + "\n" }.joined())
    #expect(try JSONLinesReader.read(string: jsonl.text) == records)
    let text = try TracedRun(name, .text)
    #expect(text.text == records.map { $0.textLine + "\n" }.joined())
    #expect(try JSONLinesReader.read(string: jsonl.text).renderText() == text.text)
  }

  /// A writer attached to a device gets commands through
  /// `recordCommand` (encoded from cached pieces, no event built); the same
  /// events replayed through `record(_:)` into a fresh writer give the same bytes.
  @Test(arguments: shippedScenarioNames, [TracedRun.Format.text, .jsonl, .vcd])
  func commandFastPathEqualsTheEventPath(_ name: String, _ format: TracedRun.Format) throws {
    let run = try TracedRun(name, format)
    #expect(run.events.contains { if case .command = $0.payload { true } else { false } })
    // A device that has not run: the traced one was at this state when its writer opened.
    let scenario = try shippedScenario(name)
    let fresh = ScenarioExecution(scenario: scenario)
    let output = MemoryTraceOutput()
    let session = try TraceSession(
      to: .output(output), format: TracedRun.traceFormat(format, scenario.configuration, fresh.system.device))
    for event in run.events { session.writer.record(event) }
    try session.close(endCycle: run.device.cycle)
    #expect(output.bytes == run.bytes)
  }

  @Test func everyStepStartsWithAStepRecord() throws {
    let run = try TracedRun("vmm-lifecycle", .jsonl)
    let records = try JSONLinesReader.read(string: run.text)
    let steps = records.filter { $0.kind == .step }
    let scenario = run.execution.scenario
    #expect(steps.map(\.step) == Array(1...scenario.steps.count))
    #expect(steps.map(\.action) == scenario.steps.map(\.title))
    #expect(steps.map(\.src) == scenario.steps.map { "\($0.mark.file):\($0.mark.line)" })
    #expect(records.first?.kind == .step)
  }
}
