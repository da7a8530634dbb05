import CMDQVTestSupport
import Foundation
import Testing

@testable import CMDQVCLI

@Suite struct StepDebuggerTests {
  /// A session over the built-in scenario whose output is collected.
  final class Harness {
    final class Box {
      var out = ""
      var err = ""
    }
    let box = Box()
    let session: StepSession

    init() throws {
      let scenario = try ScenarioParser.parse(text: BuiltInScenario.text, file: "<built-in>/vmm-lifecycle.yaml")
      let box = box
      let io = CLIContext(
        stdin: CLIInput(text: ""), stdout: CLIOutput { box.out += $0 }, stderr: CLIOutput { box.err += $0 },
        terminal: .none)
      session = StepSession(scenario: scenario, io: io)
    }

    /// Runs one command line; returns what it printed.
    @discardableResult
    func run(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
      box.out = ""
      let words = line.split(separator: " ").map(String.init)
      do throws(UsageError) {
        try session.perform(words[0], Array(words.dropFirst()))
      } catch {
        Issue.record("\(line): \(error.message)", sourceLocation: sourceLocation)
      }
      return box.out
    }

    var trace: String { session.timeline.traceText }
  }

  @Test func nextNRunsNSteps() throws {
    let h = try Harness()
    let out = h.run("next 5")
    #expect(h.session.stepsRun == 5)
    #expect(out.split(separator: "\n").filter { $0.hasPrefix("[") }.count == 5)
    #expect(out.contains("[5/37] <built-in>/vmm-lifecycle.yaml"))
    #expect(!out.contains("[6/37]"))
  }

  @Test func untilStopsAfterTheStepThatMatched() throws {
    let h = try Harness()
    let fault = h.run("until fault")
    #expect(h.session.stepsRun == 24)
    #expect(fault.contains("until: #"))
    #expect(fault.contains("CERR VINTF1/VCMDQ3/LVCMDQ1 [0] CERROR_ILL_ACCESS"))
    let write = h.run("until write CMDQV_CMDQ_ALLOC3=0x8003")
    #expect(h.session.stepsRun == 32)
    #expect(write.contains("CMDQV_CMDQ_ALLOC3"))
    let cycle = h.run("until cycle 2250")
    #expect(h.session.device.cycle >= 2250)
    #expect(cycle.contains("until: cycle"))
  }

  @Test func breakAndWatchStopRunning() throws {
    let h = try Harness()
    #expect(h.run("break VINTF1_SID_MATCH0").hasPrefix("break 1: VINTF1_SID_MATCH0"))
    let hit = h.run("continue")
    #expect(hit.contains("break 1: #"))
    #expect(hit.contains("VINTF1_SID_MATCH0"))
    let stoppedAt = h.session.stepsRun
    #expect(stoppedAt < 34)
    h.run("delete 1")
    // A hardware change: CONS moves as the queue drains, no host write to it.
    #expect(h.run("watch VCMDQ2_CONS").hasPrefix("watch 2: VCMDQ2_CONS"))
    let watched = h.run("continue")
    #expect(watched.contains("watch 2: VCMDQ2_CONS 0x0 -> 0x4"))
    #expect(h.session.stepsRun > stoppedAt)
    #expect(h.run("break").contains("watch 2: VCMDQ2_CONS"))
  }

  /// `back N` rebuilds the state of a fresh run stopped at that step: the
  /// trace so far is byte for byte the same.
  @Test func backNEqualsAFreshRunStoppedThere() throws {
    let h = try Harness()
    h.run("next 12")
    h.run("write 0x1C 0x1")
    h.run("step 7")
    h.run("next 9")
    #expect(h.run("back 4").hasPrefix("back to after step 17/37"))
    let fresh = try Harness()
    fresh.run("next 12")
    fresh.run("write 0x1C 0x1")
    fresh.run("step 7")
    fresh.run("next 5")
    #expect(h.session.stepsRun == 17)
    #expect(!h.trace.isEmpty)
    #expect(h.trace == fresh.trace)
    #expect(h.session.device.cycle == fresh.session.device.cycle)
    // Going on from there is the same run as well.
    h.run("next 3")
    fresh.run("next 3")
    #expect(h.trace == fresh.trace)
  }

  @Test func backUntilFindsTheLastEarlierStep() throws {
    let h = try Harness()
    h.run("next 33")
    let out = h.run("back until fault")
    #expect(out.hasPrefix("back to after step 32/37"))  // the ordering fault
    #expect(h.run("back until write VINTF1_CONFIG").hasPrefix("back to after step"))
    let fresh = try Harness()
    fresh.run("next \(h.session.stepsRun)")
    #expect(h.trace == fresh.trace)
    #expect(h.run("back 100").hasPrefix("back to after step 0/37"))
    #expect(h.trace.isEmpty)
  }

  @Test func peekLeavesTheTraceUnchanged() throws {
    let h = try Harness()
    h.run("next 24")
    let before = h.trace
    let sequence = h.session.device.peekRegister(map: "tegra241_cmdqv", offset: 0x1_0180, width: 32)
    let out = h.run("peek VCMDQ3_CONS")
    #expect(out == "VCMDQ3_CONS = 0x04000000  RD=0x0 ERR=0x4(ILL_ACCESS)\n")
    #expect(sequence == 0x0400_0000)
    h.run("peek VINTF1_LVCMDQ_ERR_MAP*")
    h.run("regs VCMDQ")
    #expect(h.trace == before)
    // A real read is traced.
    h.run("read 0x10180")
    #expect(h.trace != before)
  }

  @Test func lineEditingWithHistoryAndArrows() {
    var s = LineEditState()
    func type(_ text: String) -> [LineEditState.Action] { text.utf8.map { s.feed($0) } }
    #expect(type("next 3\r").last == .submit("next 3"))
    #expect(type("pek\u{1B}[D\u{1B}[De\r").last == .submit("peek"))  // left twice, insert
    // Up recalls the previous lines, Down returns to the draft.
    #expect(type("ab\u{1B}[A").last == .redraw)
    #expect(s.text == "peek")
    _ = type("\u{1B}[A")
    #expect(s.text == "next 3")
    _ = type("\u{1B}[B\u{1B}[B")
    #expect(s.text == "ab")
    #expect(type("\u{7F}\r").last == .submit("a"))
    // Home, Delete, End; Ctrl-C cancels; Ctrl-D on an empty line ends input.
    #expect(type("xyz\u{1B}[H\u{1B}[3~\u{1B}[F!\r").last == .submit("yz!"))
    #expect(type("junk\u{3}").last == .cancel)
    #expect(s.feed(0x04) == .endOfInput)
    #expect(s.history == ["next 3", "peek", "a", "yz!"])
    _ = type("hello\u{1B}[D\u{1B}[D")
    #expect(s.rendering(prompt: "cmdqv> ") == "\r\u{1B}[Kcmdqv> hello\u{1B}[2D")
  }

  @Test func lineEditorEchoesAndReturnsLines() {
    var bytes = Array("ne\u{1B}[Dxt\r\u{4}".utf8)[...]
    var echoed = ""
    let editor = LineEditor(readByte: { bytes.popFirst() }, write: { echoed += $0 })
    #expect(editor.readLine(prompt: "> ") == "nxte")
    #expect(editor.readLine(prompt: "> ") == nil)
    #expect(echoed.hasPrefix("> \r\u{1B}[K> n"))
  }
}
