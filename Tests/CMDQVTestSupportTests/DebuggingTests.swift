import CMDQVModel
import CMDQVTestSupport
import Foundation
import IOMMUFD
import Testing

/// lldb from the toolchain, when it starts on this machine (it needs the
/// toolchain's Python; where that is missing it cannot run at all).
let workingLLDB: String? = {
  let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/lldb" }
  for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = ["--version"]
    p.standardOutput = Pipe()
    p.standardError = Pipe()
    guard (try? p.run()) != nil else { continue }
    p.waitUntilExit()
    if p.terminationStatus == 0 { return path }
  }
  return nil
}()

@Suite struct DebuggingTests {
  /// What `po` prints for the system and its iommufd context: the object
  /// table, one line per object.
  @Test func contextAndSystemDescribeTheirObjectTables() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    _ = vm
    let context = system.context.description
    #expect(context.hasPrefix("IOMMUFDContext: \(system.context.liveObjectCount) objects"))
    for (id, kind) in system.context.objectKinds {
      #expect(context.contains("\n  \(id) \(kind) users="), "\(id) \(kind)")
    }
    let whole = system.description
    #expect(whole.contains("CMDQV v1 cycle"))
    #expect(whole.contains(context))
  }

  /// What a debugger's mirror shows never includes the page table.
  @Test func mirrorsShowSnapshotsAndNeverThePageTable() throws {
    let system = try CMDQVSystem()
    let device = system.device
    #expect(device.memory.backedPageCount > 1000)
    let memory = Mirror(reflecting: device.memory)
    #expect(memory.children.map(\.label) == ["backedPages"])
    let mirror = Mirror(reflecting: device)
    let children = Dictionary(uniqueKeysWithValues: mirror.children.map { ($0.label ?? "", $0.value) })
    #expect((children["vcmdqs"] as? [VCMDQSnapshot])?.count == device.configuration.numVCMDQs)
    #expect((children["vintfs"] as? [VINTFSnapshot])?.count == device.configuration.numVINTFs)
    #expect(children["memory"] is PhysicalMemoryModel)
    let dump = String(reflecting: device.memory) + "\(Mirror(reflecting: system).children.map(\.label))"
    #expect(!dump.contains("pageIndex"))
    #expect(Mirror(reflecting: system.context).children.compactMap(\.label).contains("objects"))
  }

  /// The worked session of Docs/Debugging.md, in lldb's batch mode.
  @Test(.enabled(if: workingLLDB != nil, "lldb does not start on this machine: the worked lldb session is not run"))
  func workedSessionRunsInBatchMode() throws {
    let doc = try String(contentsOfFile: repositoryRoot + "/Docs/Debugging.md", encoding: .utf8)
    let start = try #require(doc.range(of: "```lldb-session\n"))
    let end = try #require(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
    let commands = String(doc[start.upperBound..<end.lowerBound])
    let binary = repositoryRoot + "/.build/debug/cmdqv"
    try #require(FileManager.default.isExecutableFile(atPath: binary), "build cmdqv first")
    let script = NSTemporaryDirectory() + "cmdqv-lldb-\(UUID().uuidString).txt"
    try commands.write(toFile: script, atomically: false, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: script) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: workingLLDB!)
    p.arguments = ["--batch", "-s", script, "--", binary, "run", "-q"]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(text.contains("raiseCommandError"), "\(text)")
    #expect(text.contains("CFGI_STE is not accepted from a guest-owned VINTF"), "\(text)")
    #expect(text.contains("executeOne"), "\(text)")
  }
}
