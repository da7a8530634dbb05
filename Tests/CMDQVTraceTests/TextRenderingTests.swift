import CMDQVRegisters
import Testing

@testable import CMDQVTrace

@Suite struct TextRenderingTests {
  private func expectLine(
    _ event: HardwareEvent, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(TraceRecord(event).textLine == expected, sourceLocation: sourceLocation)
  }

  @Test func mmioWriteShowsOldNewAndChangedFields() {
    expectLine(
      Fixture.write(12, 40, 0x1100, 0x1),
      "#12 @40 W host config 0x1100 w32 0x00000001 VINTF1_CONFIG 0x0->0x1 {ENABLE: 0->1}")
    expectLine(
      Fixture.write(1, 0, 0x0, 0x2_0083, old: 0x2_0082),
      "#1 @0 W host config 0x0 w32 0x00020083 CMDQV_CONFIG 0x20082->0x20083 {CMDQV_EN: 0->1}")
  }

  @Test func logicalPageAccessNamesTheBackingVCMDQ() {
    expectLine(
      Fixture.read(15, 41, 0x50080, 0, initiator: .guest(vintf: 1), resolvedVCMDQ: 2),
      "#15 @41 R guest:1 vintf_page0 0x50080 w32 0x00000000 VINTF1_LVCMDQ1_CONS -> VCMDQ2")
    expectLine(
      Fixture.write(16, 42, 0x50084, 0x5, initiator: .guest(vintf: 1), resolvedVCMDQ: 2),
      "#16 @42 W guest:1 vintf_page0 0x50084 w32 0x00000005 VINTF1_LVCMDQ1_PROD -> VCMDQ2 0x0->0x5 {WR: 0x0->0x5}")
  }

  @Test func upperHalfAnd64BitAccesses() {
    expectLine(
      Fixture.write(4, 3, 0x20004, 0x1),
      "#4 @3 W host vcmdq_page1 0x20004 w32 0x00000001 VCMDQ0_BASE[63:32] 0x0->0x100000000 {ADDR: 0x0->0x8000000}")
    expectLine(
      Fixture.write(5, 4, 0x20000, 0xFFFF_0000_0000_0123, width: 64),
      "#5 @4 W host vcmdq_page1 0x20000 w64 0xffff000000000123 VCMDQ0_BASE 0x0->0x123 {LOG2SIZE: 0x0->0x3, ADDR: 0x0->0x9}")
  }

  @Test func smmuIgnoredAndUnmappedAccesses() {
    expectLine(
      Fixture.write(6, 5, 0x20, 0x1, layout: Fixture.smmu),
      "#6 @5 W host smmu 0x20 w32 0x00000001 SMMU_CR0 0x0->0x1 {SMMUEN: 0->1}")
    expectLine(Fixture.write(7, 6, 0x1104, 0x1, accepted: false), "#7 @6 W host config 0x1104 w32 0x00000001 VINTF1_STATUS ignored")
    expectLine(Fixture.read(8, 6, 0xFFF0, 0), "#8 @6 R host unmapped 0xfff0 w32 0x00000000 -")
  }

  @Test func commandLines() {
    expectLine(
      Fixture.command(30, 52, .atcInv(streamID: 0x100), vsid: 0x10),
      "#30 @52 CMD VINTF1/VCMDQ2/LVCMDQ0 [3] ATC_INV sid=0x100 (vSID 0x10) addr=0x0 [0x0000010000000040 0x0000000000000000]")
    expectLine(
      Fixture.command(31, 52, .tlbiNHASID(asid: 0x1, vmid: 0x2), cons: 4),
      "#31 @52 CMD VINTF1/VCMDQ2/LVCMDQ0 [4] TLBI_NH_ASID vmid=0x2 asid=0x1 [0x0001000200000011 0x0000000000000000]")
  }

  @Test func commandErrorLines() {
    let ill = CommandError(source: Fixture.vcmdq2, consIndex: 4, code: 1, command: .raw(opcode: 0x7F), reason: "opcode not allowed")
    expectLine(
      Fixture.event(31, 53, .commandError(ill)),
      "#31 @53 CERR VINTF1/VCMDQ2/LVCMDQ0 [4] CERROR_ILL: opcode not allowed (OP_0x7F [0x000000000000007f 0x0000000000000000])")
    let abt = CommandError(source: .smmuCMDQ, consIndex: 0, code: 2, command: nil, reason: "fetch abort")
    expectLine(Fixture.event(32, 53, .commandError(abt)), "#32 @53 CERR SMMU_CMDQ [0] CERROR_ABT: fetch abort")
  }

  @Test func stateIrqFaultOrderingInjectNote() {
    expectLine(Fixture.state(32, 53, "VINTF1", "ENABLE_OK", 0, 1), "#32 @53 STATE VINTF1.ENABLE_OK 0x0->0x1")
    expectLine(
      Fixture.event(33, 53, .interrupt(InterruptEvent(line: "CMDQV_ERR", count: 1, cause: "VINTF1 LVCMDQ0 error"))),
      "#33 @53 IRQ CMDQV_ERR #1: VINTF1 LVCMDQ0 error")
    expectLine(
      Fixture.event(
        34, 60,
        .accessFault(
          AccessFault(
            reason: .unassignedLogicalQueue, direction: .read, initiator: .guest(vintf: 1), map: Tegra241CMDQVMap.name,
            offset: 0x50100, width: 32, value: 0, register: "VINTF1_LVCMDQ2_CONS"))),
      "#34 @60 FAULT access fault [unassigned-logical-queue]: R guest:1 vintf_page0 0x50100 w32 0x00000000 VINTF1_LVCMDQ2_CONS")
    expectLine(
      Fixture.event(
        35, 61,
        .ruleViolation(
          RuleViolation(
            rule: .lvcmdqMapAscending, detail: "VINTF1: mapped LVCMDQ1 while LVCMDQ0 is unmapped",
            source: "tegra241-cmdqv.c: tegra241_vintf_hw_init, v6.17",
            access: .mmioWrite(map: "tegra241_cmdqv", offset: 0x20C, width: 32, value: 0x8003, register: "CMDQV_CMDQ_ALLOC3"),
            initiator: .host, cycle: 61, sequence: 35, registers: ["CMDQV_CMDQ_ALLOC3"]))),
      "#35 @61 VIOLATION LVCMDQ-MAP-ASCENDING: VINTF1: mapped LVCMDQ1 while LVCMDQ0 is unmapped at W host config 0x20c w32 0x00008003 CMDQV_CMDQ_ALLOC3 [tegra241-cmdqv.c: tegra241_vintf_hw_init, v6.17]")
    expectLine(Fixture.event(36, 62, .injection("stuck-at bit 3")), "#36 @62 INJECT stuck-at bit 3")
    expectLine(Fixture.event(37, 62, .note("step 3: enable VINTF1")), "#37 @62 # step 3: enable VINTF1")
    expectLine(Fixture.event(38, 62, .note("two\nlines")), "#38 @62 # two\\nlines")
  }

  @Test func initiatorLabels() {
    #expect(Initiator.host.traceLabel == "host")
    #expect(Initiator.guest(vintf: 3).traceLabel == "guest:3")
    #expect(Initiator.hardware.traceLabel == "hw")
  }

  @Test func textWriterWritesTheRenderedLines() throws {
    let out = MemoryTraceOutput()
    let writer = TextTraceWriter(output: out)
    let events = Fixture.everyKind()
    events.forEach(writer.record)
    writer.close()
    #expect(out.string == events.map { TraceRecord($0).textLine + "\n" }.joined())
    #expect(out.isClosed)
  }
}

@Suite struct ApertureAndConversionTests {
  @Test func misalignedAccessesKeepTheirAperture() {
    let misaligned = AccessFault(
      reason: .misaligned, direction: .write, initiator: .host, map: Tegra241CMDQVMap.name, offset: 0x1102, width: 32, value: 1)
    #expect(TraceRecord(Fixture.event(1, 0, .accessFault(misaligned))).aperture == "config")
    // Inside the VINTF1 logical page1 window, between registers.
    #expect(TraceRecord.aperture(ofOffset: 0x60082, map: Tegra241CMDQVMap.name) == "vintf_page1")
    #expect(TraceRecord.aperture(ofOffset: 0x50082, map: Tegra241CMDQVMap.name) == "vintf_page0")
    #expect(TraceRecord.aperture(ofOffset: 0x22, map: SMMUv3Map.name) == "smmu")
    #expect(TraceRecord.aperture(ofOffset: 0xFFF0, map: Tegra241CMDQVMap.name) == "unmapped")
    #expect(TraceRecord.aperture(ofOffset: 0x10, map: "other") == "unmapped")
    #expect(TraceRecord(Fixture.read(2, 0, 0x1102, 0)).aperture == "config")
  }

  @Test func jsonLinesConvertToTheSameTextTrace() throws {
    let events = Fixture.everyKind()
    let jsonl = MemoryTraceOutput(), text = MemoryTraceOutput(), converted = MemoryTraceOutput()
    try withTrace(to: .output(jsonl), format: .jsonLines) { w in events.forEach(w.record) }
    try withTrace(to: .output(text), format: .text) { w in events.forEach(w.record) }
    let writer = TextTraceWriter(output: converted)
    try JSONLinesReader(string: jsonl.string).forEachRecord(writer.write)
    writer.close()
    #expect(converted.bytes == text.bytes)
  }

  @Test func vcdSignalsFromParam() {
    var param = CMDQVParam(rawValue: 0)
    param.rawValue = 0x0000_0120  // NUM_VINTF_LOG2 = 1, NUM_VCMDQ_LOG2 = 2
    let signals = VCDSignalSet(param: param)
    var scopes: [String] = []
    for s in signals.signals where !scopes.contains(s.scope.joined(separator: ".")) {
      scopes.append(s.scope.joined(separator: "."))
    }
    #expect(
      scopes == [
        "", "vintf0", "vintf0.lvcmdq0", "vintf0.lvcmdq1", "vintf1", "vintf1.lvcmdq0", "vintf1.lvcmdq1", "vcmdq0",
        "vcmdq1", "vcmdq2", "vcmdq3", "smmu", "events",
      ])
  }
}
