import CMDQVCLI
import Foundation
import Testing

@Suite struct RunCommandTests {
  @Test func noArgumentsRunsTheBuiltInScenario() {
    let r = cmdqv()
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("scenario vmm-lifecycle"))
    #expect(r.stdout.contains("PASSED"))
    #expect(r.stdout.contains("VINTF1/VCMDQ2/LVCMDQ0: 4"))
    #expect(r.stdout.contains("rule violations: 1"))
    #expect(r.stdout.contains("LVCMDQ-MAP-ASCENDING at cycle "))
    #expect(r.stdout.contains("VINTF1: mapped LVCMDQ1 while LVCMDQ0 is unmapped"))
    #expect(r.stdout.contains("access: host wrote 0x8003 to CMDQV_CMDQ_ALLOC3 (0x20c)"))
    #expect(r.stdout.contains("source: tegra241-cmdqv.c: tegra241_vintf_hw_init"))
    #expect(r.stdout.contains("vEVENTs read: 1"))
    #expect(r.stderr.isEmpty)
  }

  @Test func builtInScenarioIsTheShippedFile() throws {
    let file = try String(contentsOfFile: shippedScenarioPath("vmm-lifecycle"), encoding: .utf8)
    #expect(file == BuiltInScenario.text)
  }

  @Test(arguments: ["vmm-lifecycle", "host-errors", "negative-ioctls", "rule-violations"])
  func shippedScenarioPasses(_ name: String) {
    let r = cmdqv("run", shippedScenarioPath(name))
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("PASSED"))
  }

  @Test func jsonLinesTraceIsByteIdenticalAcrossRuns() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(cmdqv("run", "--trace", dir + "/a.jsonl").status == 0)
    #expect(cmdqv("run", "--trace=\(dir)/b.jsonl", "--quiet").status == 0)
    let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.jsonl"))
    let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/b.jsonl"))
    #expect(a.count > 10_000)
    #expect(a == b)
    let diff = cmdqv("trace", "diff", dir + "/a.jsonl", dir + "/b.jsonl")
    #expect(diff.status == 0)
    #expect(diff.stdout.contains("equivalent"))
  }

  @Test func traceShowRendersWhatTheTextWriterWrote() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(cmdqv("run", "--trace", dir + "/t.jsonl").status == 0)
    #expect(cmdqv("run", "--trace", dir + "/t.txt").status == 0)
    let shown = cmdqv("trace", "show", dir + "/t.jsonl")
    #expect(shown.status == 0)
    #expect(shown.stdout == (try String(contentsOfFile: dir + "/t.txt", encoding: .utf8)))
    #expect(shown.stdout.contains("VIOLATION LVCMDQ-MAP-ASCENDING: VINTF1: mapped LVCMDQ1"))
    #expect(shown.stdout.contains("CERR VINTF1/VCMDQ3/LVCMDQ1"))
  }

  @Test func traceDiffReportsTheFirstDivergence() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(cmdqv("run", "--trace", dir + "/a.jsonl").status == 0)
    #expect(cmdqv("run", shippedScenarioPath("host-errors"), "--trace", dir + "/h.jsonl").status == 0)
    let d = cmdqv("trace", "diff", dir + "/a.jsonl", dir + "/h.jsonl", "--context", "2")
    #expect(d.status == 1)
    #expect(d.stdout.contains("traces diverge at"))
    #expect(d.stderr.isEmpty)
  }

  @Test func traceToStandardOutputMovesTheSummaryToStandardError() {
    let r = cmdqv("run", "--trace", "-", "--format", "jsonl")
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("{\"v\":2,\"seq\":1,\"cycle\":0,\"kind\":\"step\""))
    #expect(r.stderr.contains("PASSED"))
  }

  @Test func vcdTraceIsStructurallyValid() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(cmdqv("run", "--trace", dir + "/w.vcd").status == 0)
    let text = try String(contentsOfFile: dir + "/w.vcd", encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.contains { $0.hasPrefix("$timescale") })
    #expect(lines.contains("$date"))
    guard let end = lines.firstIndex(where: { $0.hasPrefix("$enddefinitions") }) else {
      Issue.record("no $enddefinitions")
      return
    }
    var depth = 0
    var ids = Set<String>()
    for line in lines[..<end] {
      if line.hasPrefix("$scope") { depth += 1 }
      if line.hasPrefix("$upscope") {
        depth -= 1
        #expect(depth >= 0)
      }
      if line.hasPrefix("$var") {
        let parts = line.split(separator: " ")
        #expect((6...7).contains(parts.count) && parts[1] == "wire" && parts.last == "$end", "\(line)")
        if parts.count > 3 { #expect(ids.insert(String(parts[3])).inserted, "duplicate id in \(line)") }
      }
    }
    #expect(depth == 0)
    #expect(ids.count > 20)
    var last: UInt64?
    for line in lines[end...] where line.hasPrefix("#") {
      let t = try #require(UInt64(line.dropFirst()), "\(line)")
      if let last { #expect(t > last) }
      last = t
    }
    #expect(last != nil)
    // Value changes refer to declared ids only.
    for line in lines[end...] where line.hasPrefix("b") {
      let id = String(line.split(separator: " ").last ?? "")
      #expect(ids.contains(id), "\(line)")
    }
    // A GTKWave save file next to it names the dump and only declared signals.
    var declared = Set<String>()
    var scopes: [String] = []
    for line in lines[..<end] {
      let w = line.split(separator: " ").map(String.init)
      if w.first == "$scope" { scopes.append(w[2]) }
      if w.first == "$upscope" { scopes.removeLast() }
      if w.first == "$var" { declared.insert((scopes + [w[4]]).joined(separator: ".") + (w.count == 7 ? w[5] : "")) }
    }
    let gtkw = try String(contentsOfFile: dir + "/w.gtkw", encoding: .utf8)
    #expect(gtkw.contains("[dumpfile] \"\(dir)/w.vcd\"\n"))
    let names = gtkw.split(separator: "\n").filter { $0.hasPrefix("cmdqv.") }
    #expect(names.count > 20)
    for name in names { #expect(declared.contains(String(name)), "\(name)") }
    #expect(gtkw.contains("@22\ncmdqv.events.step[31:0]\n"))
  }

  @Test func failedExpectationExitsOneWithItsPosition() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/wrong.yaml"
    let text = try String(contentsOfFile: shippedScenarioPath("vmm-lifecycle"), encoding: .utf8)
      .replacingOccurrences(of: "      name: q0\n      expect: EBUSY\n", with: "      name: q0\n")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let line = text.split(separator: "\n", omittingEmptySubsequences: false)
      .firstIndex { $0.contains("- destroy:") }! + 1
    let r = cmdqv("run", path, "--trace", dir + "/wrong.jsonl")
    #expect(r.status == 1)
    #expect(r.stdout.contains("FAILED"))
    #expect(
      r.stderr.contains("\(path):\(line):5: expectation failed: destroy q0: expected success, got EBUSY"), "\(r.stderr)")
    // The trace is complete up to the failure.
    let shown = cmdqv("trace", "show", dir + "/wrong.jsonl")
    #expect(shown.status == 0)
    #expect(shown.stdout.contains("# VMM teardown"))
  }
}
