import CMDQVRegisters
import Testing

@testable import CMDQVModel

/// Policies (record / trap / ignore, for all rules or per rule) on the bare
/// device, with the map-order rules as the example.
@Suite struct RulePolicyTests {
  /// CMDQV and every VINTF enabled, VCMDQs statically assigned, nothing mapped.
  func device(_ rules: RulePolicies = RulePolicies()) -> CMDQVDevice {
    let d = CMDQVDevice(configuration: config(latency: 0, rules: rules))
    d.assignStatically()
    for v in 0..<d.configuration.numVINTFs { d.write32(1 << 17 | 1, at: Off.vintfConfig(v)) }
    return d
  }

  func map(_ d: CMDQVDevice, _ q: Int, _ on: Bool) {
    let v = d.read32(at: Off.alloc(q))
    d.write32(on ? v | 1 : v & ~1, at: Off.alloc(q))
  }

  @Test func correctMapOrderRecordsNothing() {
    let d = device()
    for q in 0..<8 { map(d, q, true) }  // ascending per VINTF
    for q in (0..<8).reversed() { map(d, q, false) }  // descending
    #expect(d.violations.isEmpty && d.faults.isEmpty)
  }

  @Test func recordKeepsTheViolationAndTheWriteTakesEffect() throws {
    let d = device()
    d.step(cycles: 3)
    map(d, 3, true)  // VINTF1 LVCMDQ1 while LVCMDQ0 (VCMDQ2) is unmapped
    let v = try #require(d.violations.first)
    #expect(d.violations.count == 1)
    #expect(v.rule == .lvcmdqMapAscending)
    #expect(v.access == .mmioWrite(map: "tegra241_cmdqv", offset: 0x20C, width: 32, value: 0x8003, register: "CMDQV_CMDQ_ALLOC3"))
    #expect(v.initiator == .host && v.cycle == 3)
    #expect(v.detail == "VINTF1: mapped LVCMDQ1 while LVCMDQ0 is unmapped (HW requires ascending map order)")
    #expect(v.source.contains("tegra241_vintf_hw_init"))
    #expect(Array(d.faults) == [.violation(v)])
    #expect(d.read32(at: Off.alloc(3)) & 1 == 1, "the write still takes effect")
  }

  @Test func violationEventFollowsItsMMIOWriteWithTheNextSequenceNumber() throws {
    let d = device()
    let r = EventRecorder()
    d.eventSink = r
    map(d, 3, true)
    let kinds = r.events.suffix(2).map(\.kind)
    #expect(kinds == ["mmio_w", "violation"])
    guard case .ruleViolation(let v) = r.events.last?.payload else {
      Issue.record("no violation event")
      return
    }
    #expect(v.sequence == r.events.last?.sequence)
    #expect(d.violations.first?.sequence == v.sequence)
  }

  @Test func ignoreForAllRulesSkipsEveryCheck() {
    let d = device(RulePolicies(.ignore))
    map(d, 1, true)
    map(d, 3, true)
    #expect(d.violations.isEmpty)
  }

  @Test func perRuleOverrideBeatsTheGlobalPolicy() {
    var rules = RulePolicies(.ignore)
    rules[.lvcmdqUnmapDescending] = .record
    let d = device(rules)
    map(d, 1, true)  // ascending broken: ignored
    map(d, 0, true)
    map(d, 0, false)  // descending broken: recorded
    #expect(d.violations.map(\.rule) == [.lvcmdqUnmapDescending])
  }

  @Test func policiesCanChangeAtRunTime() {
    let d = device()
    d.rulePolicies[.lvcmdqMapAscending] = .ignore
    map(d, 1, true)
    #expect(d.violations.isEmpty)
    d.rulePolicies = RulePolicies(.record)
    map(d, 1, false)
    map(d, 3, true)
    #expect(d.violations.map(\.rule) == [.lvcmdqMapAscending])
  }

  @Test func trapStopsAtTheOffendingWrite() async {
    await #expect(processExitsWith: .failure) {
      let d = CMDQVDevice(configuration: config(latency: 0, rules: RulePolicies(.trap)))
      d.assignStatically()
      d.write32(1 << 17 | 1, at: Off.vintfConfig(0))
      d.write32(d.read32(at: Off.alloc(1)) | 1, at: Off.alloc(1))
    }
  }

  @Test func trapAllowsACorrectSequence() {
    let d = device(RulePolicies(.trap))
    map(d, 0, true)
    map(d, 1, true)
    map(d, 1, false)
    map(d, 0, false)
    #expect(d.violations.isEmpty)
  }
}
