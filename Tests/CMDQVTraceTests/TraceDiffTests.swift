import CMDQVRegisters
import Testing

@testable import CMDQVTrace

@Suite struct TraceDiffTests {
  /// A bring-up: enable, poll STATUS `polls` times (0) then once (1), map,
  /// write PROD. `seqBase`/`cycleStep` make the numbering differ between runs.
  private func bringUp(polls: Int, seqBase: UInt64 = 0, cycleStep: UInt64 = 1, prod: UInt64 = 5) -> [TraceRecord] {
    var seq = seqBase, cycle: UInt64 = 0
    var events: [HardwareEvent] = []
    func next() -> (UInt64, UInt64) {
      seq += 1
      cycle += cycleStep
      return (seq, cycle)
    }
    var (s, c) = next()
    events.append(Fixture.write(s, c, 0x1100, 0x1))
    for _ in 0..<polls {
      (s, c) = next()
      events.append(Fixture.read(s, c, 0x1104, 0))
    }
    (s, c) = next()
    events.append(Fixture.read(s, c, 0x1104, 1))
    (s, c) = next()
    events.append(Fixture.write(s, c, 0x208, 0x8003))
    (s, c) = next()
    events.append(Fixture.write(s, c, 0x50084, prod, initiator: .guest(vintf: 1), resolvedVCMDQ: 2))
    return events.map(TraceRecord.init)
  }

  @Test func identicalTracesHaveNoDivergence() {
    #expect(TraceDiff().firstDivergence(bringUp(polls: 2), bringUp(polls: 2)) == nil)
    #expect(TraceDiff().firstDivergence([], []) == nil)
  }

  @Test func seqIsIgnoredAndCyclesAreIgnoredByDefault() {
    let a = bringUp(polls: 2), b = bringUp(polls: 2, seqBase: 100, cycleStep: 3)
    #expect(TraceDiff().firstDivergence(a, b) == nil)
    let strict = TraceDiff(options: .init(compareCycles: true)).firstDivergence(a, b)
    #expect(strict?.leftIndex == 0 && strict?.rightIndex == 0)
  }

  @Test func pollRunsOfDifferentLengthsCollapse() {
    #expect(TraceDiff().firstDivergence(bringUp(polls: 1), bringUp(polls: 9)) == nil)
    let raw = TraceDiff(options: .init(collapsePolls: false)).firstDivergence(bringUp(polls: 1), bringUp(polls: 9))
    #expect(raw?.leftIndex == 2 && raw?.rightIndex == 2)
    #expect(raw?.left?.value == 1 && raw?.right?.value == 0)
  }

  @Test func firstDivergenceIsReportedWithContext() throws {
    let a = bringUp(polls: 1), b = bringUp(polls: 4, seqBase: 10, prod: 6)
    let d = try #require(TraceDiff().firstDivergence(a, b))
    // a: W CONFIG, R 0, R 1, W ALLOC, W PROD=5 ; b: W CONFIG, R 0 ×4, R 1, W ALLOC, W PROD=6
    #expect(d.leftIndex == 4 && d.rightIndex == 7)
    #expect(d.left?.value == 5 && d.right?.value == 6)
    #expect(
      d.context == [
        "#2 @2 R host config 0x1104 w32 0x00000000 VINTF1_STATUS",
        "#3 @3 R host config 0x1104 w32 0x00000001 VINTF1_STATUS",
        "#4 @4 W host config 0x208 w32 0x00008003 CMDQV_CMDQ_ALLOC2 0x0->0x8003 {ALLOC: 0->1, LVCMDQ: 0x0->0x1, VIRT_INTF_INDX: 0x0->0x1}",
      ])
    #expect(
      d.report == """
        traces diverge at left record 5 (seq 5) / right record 8 (seq 18)
          #2 @2 R host config 0x1104 w32 0x00000000 VINTF1_STATUS
          #3 @3 R host config 0x1104 w32 0x00000001 VINTF1_STATUS
          #4 @4 W host config 0x208 w32 0x00008003 CMDQV_CMDQ_ALLOC2 0x0->0x8003 {ALLOC: 0->1, LVCMDQ: 0x0->0x1, VIRT_INTF_INDX: 0x0->0x1}
        - #5 @5 W guest:1 vintf_page0 0x50084 w32 0x00000005 VINTF1_LVCMDQ1_PROD -> VCMDQ2 0x0->0x5 {WR: 0x0->0x5}
        + #18 @8 W guest:1 vintf_page0 0x50084 w32 0x00000006 VINTF1_LVCMDQ1_PROD -> VCMDQ2 0x0->0x6 {WR: 0x0->0x6}

        """)
  }

  @Test func aTraceThatEndsEarlyDiverges() throws {
    let a = bringUp(polls: 1), b = Array(bringUp(polls: 1).dropLast())
    let d = try #require(TraceDiff().firstDivergence(a, b))
    #expect(d.leftIndex == 4 && d.rightIndex == nil && d.right == nil)
    #expect(d.report.hasPrefix("traces diverge at left record 5 (seq 5) / the end of right (4 records)\n"))
    #expect(d.report.hasSuffix("+ (end of trace)\n"))
  }

  @Test func differentPayloadsDiverge() throws {
    let a = [TraceRecord(Fixture.command(1, 1, .cfgiSTE(streamID: 1)))]
    let b = [TraceRecord(Fixture.command(1, 1, .cfgiSTE(streamID: 2)))]
    #expect(TraceDiff().firstDivergence(a, b)?.leftIndex == 0)
  }
}
