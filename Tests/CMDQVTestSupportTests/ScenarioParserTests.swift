import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import RegisterMapKit
import Testing

/// Parses `text` expecting failure; returns the diagnostics as printed.
func parseErrors(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
  do {
    _ = try ScenarioParser.parse(text: text, file: "s.yaml")
    Issue.record("parsed without errors", sourceLocation: sourceLocation)
    return []
  } catch {
    return error.diagnostics.map(\.description)
  }
}

func parseOK(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Scenario? {
  do { return try ScenarioParser.parse(text: text, file: "s.yaml") } catch {
    Issue.record("\(error)", sourceLocation: sourceLocation)
    return nil
  }
}

@Suite struct ScenarioParserTests {
  @Test func flowMappingsAreRejectedWithAPosition() {
    let errors = parseErrors("name: x\nsteps:\n  - boot:\n  - ioas: {name: a}\n")
    #expect(errors.count == 1)
    #expect(errors.first?.hasPrefix("s.yaml:4:") == true, "\(errors)")
  }

  @Test func duplicateNamesPointAtBothDefinitions() {
    let errors = parseErrors("name: x\nsteps:\n  - boot:\n  - ioas:\n      name: a\n  - ioas:\n      name: a\n")
    #expect(errors == ["s.yaml:7:13: error: name 'a' is already defined (a IOAS)\ns.yaml:5:13: note: 'a' defined here"])
  }

  @Test func wrongKindOfName() {
    let errors = parseErrors(
      "name: x\nsteps:\n  - boot:\n  - ioas:\n      name: a\n  - bind:\n      name: d\n      sids: [1]\n  - viommu:\n      name: v\n      device: d\n      hwpt: a\n")
    #expect(errors == ["s.yaml:12:13: error: 'a' is a IOAS, expected a HWPT"])
  }

  @Test func aStepHasOneActionKey() {
    let errors = parseErrors("name: x\nsteps:\n  - boot:\n    note: hi\n")
    #expect(errors.count == 1)
    #expect(errors[0].hasPrefix("s.yaml:4:5: error: a step has exactly one action key, found 2"))
  }

  @Test func deviceValidation() {
    #expect(parseErrors("name: x\ndevice:\n  vintfs: 8\n  vcmdqs: 4\nsteps:\n  - boot:\n") == [
      "s.yaml:4:3: error: device has 4 VCMDQs for 8 VINTFs; each VINTF needs at least one (vcmdqs ≥ vintfs)"
    ])
    #expect(parseErrors("name: x\ndevice:\n  rules: trap\nsteps:\n  - boot:\n").first?.contains("3:10: error: rule policy 'trap'") == true)
    #expect(parseErrors("name: x\ndevice:\n  vintfs: 128\nsteps:\n  - boot:\n") == [
      "s.yaml:3:11: error: 'vintfs' in device must be in 1...64, got 128"
    ])
    let s = parseOK(
      "name: x\ndevice:\n  preset: qemu-guest\n  cycles_per_us: 10\n  latency:\n    vintf: 7\n    vcmdq:\n      enable: 1\n      disable: 3\n  rules:\n    all: ignore\n    LVCMDQ-MAP-ASCENDING: record\nsteps:\n  - boot:\n")
    #expect(s?.configuration.numVINTFs == 1)
    #expect(s?.configuration.cyclesPerMicrosecond == 10)
    #expect(s?.configuration.vintfLatency == .cycles(7))
    #expect(s?.configuration.vcmdqLatency.disable == 3)
    #expect(s?.configuration.rulePolicies == RulePolicies(.ignore, overrides: [.lvcmdqMapAscending: .record]))
  }

  @Test func commandsEncodeLikeTheBuilders() throws {
    let s = try #require(parseOK("""
      name: x
      steps:
        - boot:
        - host_issue:
            commands:
              - op: tlbi_nh_va
                asid: 5
                addr: 0x1000
              - op: ATC_INV
                sid: 0x10
                ssid: 3
                addr: 0x4000
                size: 2
                global: true
              - op: CFGI_STE
                sid: 0x100
              - raw: [0x7f, 0x0]

      """))
    guard case .hostIssue(let commands, _, _, _) = s.steps[1].action else {
      Issue.record("not host_issue")
      return
    }
    #expect(commands == [
      .tlbiNHVA(asid: 5, address: 0x1000), .atcInv(streamID: 0x10, substreamID: 3, address: 0x4000, size: 2, global: true),
      .cfgiSTE(streamID: 0x100), SMMUCommand(dword0: 0x7F, dword1: 0),
    ])
  }

  @Test func commandErrors() {
    let head = "name: x\nsteps:\n  - boot:\n  - host_issue:\n      commands:\n"
    #expect(parseErrors(head + "        - op: TLBI_NH_VA\n          addr: 0x1001\n") == [
      "s.yaml:7:17: error: 'addr' must be 4 KiB aligned (ADDR is dword1[63:12]), got 0x1001"
    ])
    #expect(parseErrors(head + "        - raw: [1]\n") == [
      "s.yaml:6:16: error: 'raw' takes two 64-bit dwords [dword0, dword1], found 1"
    ])
    #expect(parseErrors(head + "        - op: CMD_SYNC\n          raw: [1, 2]\n") == [
      "s.yaml:6:11: error: 'raw' gives both dwords; it cannot be combined with 'op'"
    ])
  }

  @Test func expectationsAndInjections() throws {
    let s = try #require(parseOK("""
      name: x
      steps:
        - inject:
            stuck_handshake: vintf0
        - boot:
            expect: ETIMEDOUT
        - inject:
            command_error: ILL_ACCESS
            queue: SMMU_CMDQ
            at: 2
        - inject:
            clear:
        - expect_register:
            offset: 0x20004
            value: 0
        - expect_commands: []
        - expect_commands:
        - close:
            clean: false

      """))
    #expect(s.steps.map(\.title) == [
      "inject", "boot", "inject", "inject", "expect_register VCMDQ0_BASE[63:32]", "expect_commands", "expect_commands", "close",
    ])
    #expect(parseErrors("name: x\nsteps:\n  - inject:\n      stuck_handshake: VINTF9\n") == [
      "s.yaml:4:24: error: unknown handshake 'VINTF9'; expected CMDQV, SMMU_CR0, VINTFn, VCMDQn or VINTFn/LVCMDQm of this device"
    ])
    #expect(parseErrors("name: x\nsteps:\n  - inject:\n      stuck_handshake: VINTF1/LVCMDQ2\n").count == 1)
    #expect(parseOK("name: x\nsteps:\n  - inject:\n      stuck_handshake: vintf1/lvcmdq1\n") != nil)
    #expect(parseOK("name: x\nsteps:\n  - inject:\n      command_error: ILL\n      queue: VINTF3/LVCMDQ0\n") != nil)
    #expect(parseErrors("name: x\nsteps:\n  - inject:\n      command_error: ILL\n      queue: VINTF4/LVCMDQ0\n") == [
      "s.yaml:5:14: error: unknown queue 'VINTF4/LVCMDQ0'; expected SMMU_CMDQ, VCMDQn or VINTFn/LVCMDQm of this device"
    ])
    #expect(parseErrors("name: x\nsteps:\n  - expect_register:\n      name: VINTF9_CONFIG\n      value: 0\n").first?
      .hasPrefix("s.yaml:4:13: error: unknown register 'VINTF9_CONFIG'") == true)
  }

  @Test func everyProblemIsReportedAtOnceInFileOrder() {
    let errors = parseErrors("name: x\nsteps:\n  - boot:\n  - destroy:\n      name: nope\n  - bogus:\n  - step: ten\n")
    #expect(errors.count == 3)
    #expect(errors.map { $0.prefix(11) } == ["s.yaml:5:13", "s.yaml:6:5:", "s.yaml:7:11"])
  }
}

@Suite struct ScenarioLimitsTests {
  @Test func hugeMapsAreRefusedBeforeTheyAllocate() {
    let head = "name: x\nsteps:\n  - boot:\n  - ioas:\n      name: a\n  - map:\n      ioas: a\n      iova: 0\n"
    #expect(parseErrors(head + "      length: 0x1_0000_0000\n      pa: 0\n") == [
      "s.yaml:9:7: error: 'length' above 0x4000_0000 (1 GiB): the model backs mapped memory page by page"
    ])
    #expect(parseErrors(head + "      length: 0x1000\n      pa: 0xFFFF_FFFF_FFFF_F800\n") == ["s.yaml:10:7: error: 'pa' + 'length' overflows"])
  }
}
