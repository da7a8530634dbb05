import CMDQVRegisters
import Testing

@testable import CMDQVTrace

/// Unit checks of the VCD writer on hand-built events (the scenario-level
/// checks, with an independent reader, are in CMDQVTestSupportTests).
@Suite struct VCDTests {
  private func dump(_ events: [HardwareEvent], signals: VCDSignalSet = VCDSignalSet(vintfs: 2, vcmdqs: 4), end: UInt64? = nil)
    -> String
  {
    let out = MemoryTraceOutput()
    let writer = VCDTraceWriter(output: out, signals: signals)
    events.forEach(writer.record)
    if let end { writer.end(atCycle: end) }
    writer.close()
    return out.string
  }

  /// `(time, full path, value)` of every change after `$dumpvars`.
  private func changes(_ text: String, _ signals: VCDSignalSet = VCDSignalSet(vintfs: 2, vcmdqs: 4))
    -> [(time: UInt64, path: String, value: String)]
  {
    var byID: [String: String] = [:]
    for s in signals.signals { byID[s.id] = s.path }
    var out: [(UInt64, String, String)] = []
    var time: UInt64 = 0
    guard let body = text.range(of: "$dumpvars") else { return [] }
    let lines = text[body.upperBound...].split(separator: "\n").drop { $0 != "$end" }.dropFirst()
    for line in lines {
      if line.hasPrefix("#") {
        time = UInt64(line.dropFirst()) ?? 0
      } else {
        let parts = line.split(separator: " ")
        out.append((time, byID[String(parts[1])] ?? "?", String(parts[0].dropFirst())))
      }
    }
    return out
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
    Fixture.state(12, 9, "VCMDQ2", "CONS", 0, 2),
    Fixture.event(13, 12, .interrupt(InterruptEvent(line: "CMDQV_ERR", count: 1, cause: "x"))),
    Fixture.write(14, 12, 0x20, 0x1, layout: Fixture.smmu),
    Fixture.state(15, 12, "SMMU", "CR0ACK", 0, 1),
    Fixture.event(16, 15, .note("no change: no timestamp")),
    Fixture.write(17, 16, 0x1100, 0x1, old: 0x1),  // same value: no change line
    Fixture.state(18, 17, "CMDQV", "VI_ERR_MAP", 0, 2),
    Fixture.state(19, 17, "VINTF1", "LVCMDQ_ERR_MAP0", 0, 2),
  ]

  @Test func valueChangesFollowWritesStateChangesAndEvents() {
    let c = changes(dump(run))
    func values(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
      c.filter { $0.path == path }.map(\.value)
    }
    #expect(values("cmdqv.config") == ["1"])
    #expect(values("cmdqv.status") == ["1"])
    #expect(values("cmdqv.vintf1.config") == ["1"])
    #expect(values("cmdqv.vintf1.status") == ["1"])
    #expect(values("cmdqv.vcmdq2.alloc") == ["1000000000000011"])
    // The guest's logical-page PROD write drives VCMDQ2 and its alias.
    #expect(values("cmdqv.vcmdq2.prod") == ["101"])
    #expect(values("cmdqv.vintf1.lvcmdq1.prod") == ["0", "101"])
    #expect(values("cmdqv.vintf1.lvcmdq1.vcmdq") == ["10"])
    #expect(values("cmdqv.vcmdq2.cons") == ["10"])
    #expect(values("cmdqv.vcmdq0.base") == ["1" + String(repeating: "0", count: 32)])
    #expect(values("cmdqv.smmu.cr0") == ["1"])
    #expect(values("cmdqv.smmu.cr0ack") == ["1"])
    #expect(values("cmdqv.vi_err_map") == ["10"])
    #expect(values("cmdqv.vintf1.lvcmdq_err_map0") == ["10"])
    #expect(values("cmdqv.events.cmd") == ["1", "10"])
    #expect(values("cmdqv.events.irq_cmdqv_err") == ["1"])
    #expect(values("cmdqv.events.violation") == [])
  }

  @Test func eachEventHasItsOwnSlot() {
    let c = changes(dump(run))
    let K = VCDTraceWriter.slotsPerCycle
    // The two commands of cycle 9 are events 0 and 1 of that cycle; CONS is event 3.
    #expect(c.filter { $0.path == "cmdqv.events.cmd" }.map(\.time) == [9 * K, 9 * K + 1])
    #expect(c.first { $0.path == "cmdqv.vcmdq2.cons" }?.time == 9 * K + 3)
    // Logical-page PROD at cycle 7 is event 0, the BASE write event 1.
    #expect(c.first { $0.path == "cmdqv.vcmdq2.prod" }?.time == 7 * K)
    #expect(c.first { $0.path == "cmdqv.vcmdq0.base" }?.time == 7 * K + 1)
  }

  @Test func headerIsDeterministicHierarchicalAndHasNoHostTime() {
    let a = dump(run), b = dump(run)
    #expect(a == b)
    #expect(a.hasPrefix("$date\n\tmodel time only (no host date)\n$end\n"))
    #expect(a.contains("$timescale 10 ps $end\n"))
    #expect(a.contains("$scope module cmdqv $end\n$var wire 32 ! config [31:0] $end\n"))
    #expect(a.contains("$scope module vintf1 $end\n"))
    #expect(a.contains("$scope module lvcmdq0 $end\n$var wire 32 "))
  }

  @Test func endWritesTheLastCycle() {
    let text = dump(run, end: 40)
    #expect(text.hasSuffix("\n#40000\n"))
    // An end before the last change adds nothing.
    #expect(!dump(run, end: 3).hasSuffix("#3000\n"))
  }

  @Test func cyclesGoingBackwardsAreClamped() {
    let c = changes(dump([Fixture.write(1, 10, 0x1100, 1), Fixture.write(2, 4, 0x1100, 0, old: 1)]))
    #expect(c.map(\.time) == [10_000, 10_000])
  }

  @Test func unassignedLogicalQueuesAreX() {
    // Moving VCMDQ0 (the only queue assigned to VINTF0 LVCMDQ0 besides the
    // others at reset) away leaves the slot with VCMDQ1; moving all leaves x.
    let events = (0..<4).map { q in Fixture.write(UInt64(q + 1), 1, 0x200 + 4 * q, 0x8003) }
    let c = changes(dump(events))
    #expect(c.filter { $0.path == "cmdqv.vintf0.lvcmdq0.vcmdq" }.map(\.value) == ["1", "10", "11", "x"])
    #expect(c.filter { $0.path == "cmdqv.vintf1.lvcmdq1.vcmdq" }.map(\.value) == ["0"])
    #expect(c.last { $0.path == "cmdqv.vintf0.lvcmdq0.cons" }?.value == "x")
  }

  @Test func eventSignalOrdinalsFollowAllCases() {
    #expect(VCDEventSignal.allCases.map(\.ordinal) == Array(VCDEventSignal.allCases.indices))
  }

  @Test func largeConfigurationUsesMultiCharacterIds() {
    let signals = VCDSignalSet(vintfs: 64, vcmdqs: 128)
    #expect(signals.lvcmdqsPerVINTF == 2)
    #expect(Set(signals.signals.map(\.id)).count == signals.signals.count)
    let text = dump([Fixture.write(1, 1, 0x1_0000 + 127 * 0x80 + 4, 7)], signals: signals)
    #expect(changes(text, signals).contains { $0.path == "cmdqv.vcmdq127.prod" && $0.value == "111" })
  }

  @Test func saveFileGroupsChangedScopesInHex() {
    let out = MemoryTraceOutput()
    let writer = VCDTraceWriter(output: out, signals: VCDSignalSet(vintfs: 2, vcmdqs: 4))
    run.forEach(writer.record)
    let gtkw = writer.gtkwaveSaveFile(dumpFile: "run.vcd")
    #expect(gtkw.contains("[dumpfile] \"run.vcd\"\n"))
    #expect(gtkw.contains("@800200\n-events\n@22\ncmdqv.events.step[31:0]\n"))
    #expect(gtkw.contains("-cmdqv.vcmdq2\n@22\ncmdqv.vcmdq2.cons[31:0]\n"))
    #expect(!gtkw.contains("-cmdqv.vcmdq3\n"))  // never changed
  }
}
