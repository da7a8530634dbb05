import CMDQVRegisters
import Testing

@testable import CMDQVTrace

@Suite struct WriteAssertionTests {
  /// Host enables the CMDQV and VINTF1 (with STATUS polls), maps VCMDQ2, the
  /// guest writes BASE halves and PROD.
  private let trace: [TraceRecord] = [
    Fixture.write(1, 1, 0x0, 0x2_0083, old: 0x2_0082),
    Fixture.read(2, 2, 0x8, 0),
    Fixture.read(3, 3, 0x8, 1),
    Fixture.write(4, 4, 0x1100, 0x1),
    Fixture.read(5, 5, 0x1104, 1),
    Fixture.write(6, 6, 0x208, 0x8003),
    Fixture.write(7, 7, 0x60080, 0x8000_0008, initiator: .host, resolvedVCMDQ: 2),
    Fixture.write(8, 8, 0x60084, 0x0, initiator: .host, resolvedVCMDQ: 2),
    Fixture.write(9, 9, 0x50084, 0x5, initiator: .guest(vintf: 1), resolvedVCMDQ: 2),
    Fixture.event(10, 9, .note("done")),
  ].map(TraceRecord.init)

  @Test func inOrderSubsequencePasses() {
    let expected: [ExpectedWrite] = [
      ExpectedWrite("CMDQV_CONFIG", value: 0x1, mask: 0x1),
      ExpectedWrite("VINTF1_CONFIG", value: 0x1),
      ExpectedWrite(offset: 0x208),
      ExpectedWrite("VINTF1_LVCMDQ1_PROD", value: 5),
    ]
    #expect(firstMismatch(expectedSubsequence: expected, in: trace) == nil)
    #expect(firstMismatch(expectedSubsequence: [], in: trace) == nil)
  }

  @Test func outOfOrderWritesFail() throws {
    let report = try #require(
      firstMismatch(
        expectedSubsequence: [ExpectedWrite("VINTF1_CONFIG", value: 1), ExpectedWrite("CMDQV_CONFIG")], in: trace))
    #expect(report.contains("✓ VINTF1_CONFIG = 0x1"))
    #expect(report.contains("✗ CMDQV_CONFIG (any value)  not found after #4"))
    #expect(report.contains("no write to that target after #4"))
  }

  @Test func wrongValueFailsWithAReadableDiff() throws {
    let report = try #require(
      firstMismatch(
        expectedSubsequence: [
          ExpectedWrite("CMDQV_CONFIG", value: 0x1, mask: 0x1),
          ExpectedWrite("VINTF1_CONFIG", value: 0x3),
          ExpectedWrite("VINTF1_LVCMDQ1_PROD", value: 5),
        ], in: trace, window: 3))
    #expect(
      report == """
        expected writes not found in order (matched 1 of 3):
          ✓ CMDQV_CONFIG & 0x1 == 0x1  #1 @1 W host config 0x0 w32 0x00020083 CMDQV_CONFIG 0x20082->0x20083 {CMDQV_EN: 0->1}
          ✗ VINTF1_CONFIG = 0x3        not found after #1
          · VINTF1_LVCMDQ1_PROD = 0x5
        nearest write to that target after #1: #4 @4 W host config 0x1100 w32 0x00000001 VINTF1_CONFIG 0x0->0x1 {ENABLE: 0->1}
        actual writes after #1:
          #4 @4 W host config 0x1100 w32 0x00000001 VINTF1_CONFIG 0x0->0x1 {ENABLE: 0->1}
          #6 @6 W host config 0x208 w32 0x00008003 CMDQV_CMDQ_ALLOC2 0x0->0x8003 {ALLOC: 0->1, LVCMDQ: 0x0->0x1, VIRT_INTF_INDX: 0x0->0x1}
          #7 @7 W host vintf_page1 0x60080 w32 0x80000008 VINTF1_LVCMDQ1_BASE -> VCMDQ2 0x0->0x80000008 {LOG2SIZE: 0x0->0x8, ADDR: 0x0->0x4000000}
          … 2 more

        """)
  }

  @Test func expectationDescriptions() {
    #expect(ExpectedWrite("A").description == "A (any value)")
    #expect(ExpectedWrite("A", value: 0x10).description == "A = 0x10")
    #expect(ExpectedWrite(offset: 0x1100, value: 0x3, mask: 0x1).description == "0x1100 & 0x1 == 0x1")
  }

  @Test func writesFilters() {
    #expect(trace.writes().map(\.seq) == [1, 4, 6, 7, 8, 9])
    #expect(trace.writes(initiator: "guest:1").map(\.seq) == [9])
    #expect(trace.writes(aperture: "vintf_page1").map(\.seq) == [7, 8])
    #expect(trace.writes(register: "VINTF1_LVCMDQ1_BASE[63:32]").map(\.seq) == [8])
    #expect(trace.writes(where: { $0.vcmdq == 2 }).map(\.seq) == [7, 8, 9])
    #expect(trace.records(of: .mmioRead).count == 3)
  }

  @Test func recorderKeepsTheHeadAndCountsDrops() {
    let recorder = TraceRecorder(capacity: 4)
    for i in 0..<10 { recorder.record(Fixture.write(UInt64(i + 1), UInt64(i), 0x1100, UInt64(i & 1), old: UInt64(~i & 1))) }
    #expect(recorder.records.map(\.seq) == [1, 2, 3, 4])
    #expect(recorder.dropped == 6)
    #expect(recorder.writes(register: "VINTF1_CONFIG").count == 4)
    #expect(recorder.text.hasPrefix("#1 @0 W host config 0x1100 w32 0x00000000 VINTF1_CONFIG 0x1->0x0 {ENABLE: 1->0}\n"))
    recorder.reset()
    #expect(recorder.records.isEmpty && recorder.dropped == 0)
  }
}
