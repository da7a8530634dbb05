import CMDQVRegisters
import Testing

@testable import CMDQVTrace

/// What a structural VCD check learns from a dump.
private struct ParsedVCD {
  var widths: [String: Int] = [:]
  var names: [String: String] = [:]
  var timestamps: [UInt64] = []
  /// (time, id, value) in file order, `$dumpvars` included.
  var changes: [(time: UInt64, id: String, value: UInt64)] = []
  var header: [String] = []

  /// Parses `text`, recording an issue for every structural violation.
  init(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.last == "", "ends with a newline", sourceLocation: sourceLocation)
    var i = 0
    var depth = 0
    var scopes = 0
    var sawTimescale = false, sawEnd = false
    while i < lines.count, !sawEnd {
      let line = lines[i]
      header.append(line)
      let words = line.split(separator: " ").map(String.init)
      switch words.first {
      case "$timescale": sawTimescale = line == "$timescale 1 ns $end"
      case "$scope":
        #expect(words.count == 4 && words[1] == "module" && words[3] == "$end", "\(line)", sourceLocation: sourceLocation)
        depth += 1
        scopes += 1
      case "$upscope":
        depth -= 1
        #expect(depth >= 0, "unbalanced $upscope", sourceLocation: sourceLocation)
      case "$var":
        #expect(words.count == 6 && words[1] == "wire" && words[5] == "$end", "\(line)", sourceLocation: sourceLocation)
        #expect(depth > 0, "$var outside a scope", sourceLocation: sourceLocation)
        if words.count == 6, let width = Int(words[2]) {
          #expect(widths[words[3]] == nil, "duplicate id \(words[3])", sourceLocation: sourceLocation)
          #expect(words[3].allSatisfy { $0.asciiValue.map { (33...126).contains($0) } ?? false }, sourceLocation: sourceLocation)
          widths[words[3]] = width
          names[words[3]] = words[4]
        }
      case "$enddefinitions": sawEnd = true
      default: break
      }
      i += 1
    }
    #expect(sawTimescale, "$timescale 1 ns $end", sourceLocation: sourceLocation)
    #expect(sawEnd, "$enddefinitions", sourceLocation: sourceLocation)
    #expect(depth == 0 && scopes > 1, "balanced scopes", sourceLocation: sourceLocation)

    var time: UInt64?
    var inDump = false, sawDump = false
    for line in lines[i...] where !line.isEmpty {
      if line.hasPrefix("#") {
        guard let t = UInt64(line.dropFirst()) else {
          Issue.record("bad timestamp \(line)", sourceLocation: sourceLocation)
          continue
        }
        if let time { #expect(t > time, "timestamps strictly increase: \(t) after \(time)", sourceLocation: sourceLocation) }
        time = t
        timestamps.append(t)
      } else if line == "$dumpvars" {
        #expect(time == 0 && !sawDump, "$dumpvars once, at #0", sourceLocation: sourceLocation)
        inDump = true
        sawDump = true
      } else if line == "$end" {
        #expect(inDump, sourceLocation: sourceLocation)
        inDump = false
      } else if line.hasPrefix("b") {
        let parts = line.dropFirst().split(separator: " ")
        guard parts.count == 2, let width = widths[String(parts[1])] else {
          Issue.record("change of an undeclared id: \(line)", sourceLocation: sourceLocation)
          continue
        }
        #expect(parts[0].count == width, "width of \(line)", sourceLocation: sourceLocation)
        #expect(parts[0].allSatisfy { $0 == "0" || $0 == "1" }, sourceLocation: sourceLocation)
        #expect(time != nil, "change before any timestamp", sourceLocation: sourceLocation)
        changes.append((time ?? 0, String(parts[1]), UInt64(parts[0], radix: 2) ?? 0))
      } else {
        Issue.record("unexpected line \(line)", sourceLocation: sourceLocation)
      }
    }
    #expect(sawDump, "$dumpvars", sourceLocation: sourceLocation)
    #expect(Set(changes.filter { $0.time == 0 }.map(\.id)).count == widths.count, "every signal dumped", sourceLocation: sourceLocation)
  }

  /// The id of the variable `name` declared inside scope `scope`.
  func id(_ scope: String, _ name: String) -> String? {
    var current: [String] = []
    for line in header {
      let w = line.split(separator: " ").map(String.init)
      if w.first == "$scope" { current.append(w[2]) }
      if w.first == "$upscope" { current.removeLast() }
      if w.first == "$var", w[4] == name, current.last == scope { return w[3] }
    }
    return nil
  }

  /// The value changes of `id` after `$dumpvars`.
  func values(of id: String) -> [(time: UInt64, value: UInt64)] {
    changes.dropFirst(widths.count).filter { $0.id == id }.map { ($0.time, $0.value) }
  }
}

@Suite struct VCDTests {
  private func dump(_ events: [HardwareEvent], signals: VCDSignalSet = VCDSignalSet(vintfs: 2, vcmdqs: 4)) -> String {
    let out = MemoryTraceOutput()
    let writer = VCDTraceWriter(output: out, signals: signals)
    events.forEach(writer.record)
    writer.close()
    return out.string
  }

  private let run: [HardwareEvent] = [
    Fixture.write(1, 0, 0x0, 0x1, old: 0x2_0083),
    Fixture.state(2, 3, "CMDQV", "CMDQV_ENABLED", 0, 1),
    Fixture.write(3, 3, 0x1100, 0x1),
    Fixture.state(4, 5, "VINTF1", "ENABLE_OK", 0, 1),
    Fixture.write(5, 6, 0x208, 0x8003),  // CMDQ_ALLOC2: VINTF1 LVCMDQ1
    Fixture.read(6, 6, 0x50080, 0, initiator: .guest(vintf: 1), resolvedVCMDQ: 2),
    Fixture.write(7, 7, 0x50084, 0x5, initiator: .guest(vintf: 1), resolvedVCMDQ: 2),
    Fixture.write(8, 7, 0x20004, 0x1),  // VCMDQ0_BASE upper half
    Fixture.command(9, 9, .cfgiSTE(streamID: 1)),
    Fixture.command(10, 9, .cfgiSTE(streamID: 2)),
    Fixture.state(11, 9, "VCMDQ2", "running", 0, 1),  // no register: not shown
    Fixture.event(12, 12, .interrupt(InterruptEvent(line: "CMDQV_ERR", count: 1, cause: "x"))),
    Fixture.write(13, 12, 0x20, 0x1, layout: Fixture.smmu),
    Fixture.state(14, 12, "SMMU_CMDQ", "SMMUEN", 0, 1),
    Fixture.event(15, 15, .note("no change: no timestamp")),
    Fixture.write(16, 16, 0x1100, 0x1, old: 0x1),  // same value: no change line
  ]

  @Test func structureIsValid() {
    let vcd = ParsedVCD(dump(run))
    #expect(vcd.timestamps == [0, 3, 5, 6, 7, 9, 12])
    #expect(vcd.widths.count == 3 + 2 * 2 + 4 * 8 + 7 + 5)
  }

  @Test func valueChangesFollowWritesStateChangesAndCounters() throws {
    let vcd = ParsedVCD(dump(run))
    func values(_ scope: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> [UInt64] {
      guard let id = vcd.id(scope, name) else {
        Issue.record("no signal \(scope).\(name)", sourceLocation: sourceLocation)
        return []
      }
      return vcd.values(of: id).map(\.value)
    }
    #expect(values("cmdqv", "CMDQV_CONFIG") == [0x1])
    #expect(values("cmdqv", "CMDQV_STATUS") == [1])
    #expect(values("VINTF1", "CONFIG") == [1])
    #expect(values("VINTF1", "STATUS") == [1])
    #expect(values("VCMDQ2", "CMDQ_ALLOC") == [0x8003])
    // The guest's logical-page PROD write drives the global VCMDQ2 signal.
    #expect(values("VCMDQ2", "PROD") == [5])
    #expect(values("VCMDQ0", "BASE") == [0x1_0000_0000])
    #expect(values("SMMU", "CR0") == [1])
    #expect(values("SMMU", "CR0ACK") == [1])
    #expect(values("events", "cmd_count") == [1, 2])
    #expect(values("events", "irq_count") == [1])
    #expect(values("events", "fault_count") == [])
  }

  @Test func headerIsDeterministicAndHasNoHostTime() {
    let a = dump(run), b = dump(run)
    #expect(a == b)
    #expect(a.hasPrefix("$date\n\tmodel time only (no host date)\n$end\n"))
    #expect(a.contains("$scope module cmdqv $end\n$var wire 32 ! CMDQV_CONFIG $end\n"))
  }

  @Test func initialValuesAreResetValues() {
    let vcd = ParsedVCD(dump([]))
    let config = vcd.id("cmdqv", "CMDQV_CONFIG")!
    #expect(vcd.changes.first { $0.id == config }?.value == 0x2_0083)
    #expect(vcd.timestamps == [0])
  }

  @Test func cyclesGoingBackwardsAreClamped() {
    let vcd = ParsedVCD(dump([Fixture.write(1, 10, 0x1100, 1), Fixture.write(2, 4, 0x1100, 0, old: 1)]))
    #expect(vcd.timestamps == [0, 10])
  }

  @Test func largeConfigurationUsesMultiCharacterIds() {
    let signals = VCDSignalSet(vintfs: 64, vcmdqs: 128)
    #expect(signals.signals.count == 3 + 64 * 2 + 128 * 8 + 7 + 5)
    #expect(Set(signals.signals.map(\.id)).count == signals.signals.count)
    let vcd = ParsedVCD(dump([Fixture.write(1, 1, 0x1_0000 + 127 * 0x80 + 4, 7)], signals: signals))
    #expect(vcd.values(of: vcd.id("VCMDQ127", "PROD")!).map(\.value) == [7])
  }
}
