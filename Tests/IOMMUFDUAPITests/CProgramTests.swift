import Foundation
import Testing

/// The C programs, compiled with the toolchain's clang against cmdqv.h and
/// run: the worked example (Docs/Examples/C/vmm.c) and the library's own
/// functions (Tests/CPrograms/library.c) linked against libcmdqvc.so, and
/// the selftest HW-queue sequence (Tests/CPrograms/
/// hw_queue.c) once through `cmdqv_ioctl` and once as a plain libc program
/// under `LD_PRELOAD=libcmdqv-preload.so`. The libraries are the ones
/// `swift build` put next to the test bundle.
@Suite(.serialized) struct CProgramTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  /// The products directory (where the test bundle and the .so files are).
  static var products: String {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: exe).deletingLastPathComponent().path
  }

  /// clang from the Swift toolchain: next to `swift` on PATH, else the
  /// toolchain the test's Swift runtime came from, else PATH.
  static var clang: String? {
    let fm = FileManager.default
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for dir in path.split(separator: ":").map(String.init) {
      if fm.isExecutableFile(atPath: dir + "/swift") {
        let real = (try? fm.destinationOfSymbolicLink(atPath: dir + "/swift")).map {
          $0.hasPrefix("/") ? $0 : dir + "/" + $0
        } ?? dir + "/swift"
        let candidate = URL(fileURLWithPath: real).deletingLastPathComponent().path + "/clang"
        if fm.isExecutableFile(atPath: candidate) { return candidate }
      }
    }
    for dir in path.split(separator: ":").map(String.init) where fm.isExecutableFile(atPath: dir + "/clang") {
      return dir + "/clang"
    }
    return nil
  }

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  /// Compiles `source` (repository relative) to a temporary executable.
  static func compile(
    _ source: String, name: String, flags: [String] = [], library: Bool, links: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String? {
    guard let clang else {
      Issue.record("no clang next to swift on PATH", sourceLocation: sourceLocation)
      return nil
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cmdqv-c-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let output = dir + "/" + name
    var arguments = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-I", root + "/Sources/CCMDQV/include"] + flags
    arguments += ["-o", output, root + "/" + source]
    if library { arguments += ["-L", products, "-lcmdqvc", "-Wl,-rpath," + products] }
    arguments += links
    let result = try run(clang, arguments)
    #expect(result.status == 0, "clang \(source):\n\(result.stderr)", sourceLocation: sourceLocation)
    return result.status == 0 ? output : nil
  }

  static func requireLibrary(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    let path = products + "/" + name
    let exists = FileManager.default.fileExists(atPath: path)
    #expect(exists, "\(path) is missing: run `swift build` first (it builds the library products)", sourceLocation: sourceLocation)
    return exists
  }

  @Test func workedExampleRunsThroughTheLibrary() throws {
    guard Self.requireLibrary("libcmdqvc.so"),
      let exe = try Self.compile("Docs/Examples/C/vmm.c", name: "vmm", library: true)
    else { return }
    let trace = FileManager.default.temporaryDirectory.appendingPathComponent("cmdqv-vmm-\(getpid()).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: trace) }
    let result = try Self.run(exe, [trace])
    #expect(result.status == 0, "vmm failed:\n\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("after 3 commands: CONS=0x3"))
    #expect(result.stdout.contains("vEVENT: 24 bytes, sequence 0, lvcmdq_err_map[0]=0x1, CONS.ERR=1"))
    #expect(result.stdout.contains("rule violations: 0"))
    let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
    #expect(lines.contains { $0.contains("\"reg\":\"VINTF1_CONFIG\"") }, "the trace has the VINTF's programming")
  }

  @Test func libraryFunctionsFromC() throws {
    guard Self.requireLibrary("libcmdqvc.so"),
      let exe = try Self.compile("Tests/CPrograms/library.c", name: "library", library: true)
    else { return }
    let result = try Self.run(exe, [Self.root])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("violation: ERR-ACK-NOT-PENDING at cycle "))
    #expect(result.stdout.contains("fault: unassigned-logical-queue: "))
    #expect(result.stdout.hasSuffix("library: ok\n"))
  }

  @Test func hwQueueSequenceThroughCmdqvIoctl() throws {
    guard Self.requireLibrary("libcmdqvc.so"),
      let exe = try Self.compile(
        "Tests/CPrograms/hw_queue.c", name: "hw_queue_lib", flags: ["-DCMDQV_VIA_LIBRARY"], library: true)
    else { return }
    let result = try Self.run(exe, [])
    #expect(result.status == 0 && result.stdout == "hw_queue: ok\n", "\(result.stdout)\(result.stderr)")
  }

  @Test func hwQueueSequenceUnderLDPreload() throws {
    guard Self.requireLibrary("libcmdqv-preload.so"),
      let exe = try Self.compile("Tests/CPrograms/hw_queue.c", name: "hw_queue_raw", library: false)
    else { return }
    let result = try Self.run(exe, [], environment: ["LD_PRELOAD": Self.products + "/libcmdqv-preload.so"])
    #expect(result.status == 0 && result.stdout == "hw_queue: ok\n", "\(result.stdout)\(result.stderr)")
    #expect(!result.stdout.isEmpty)
    // The same binary without the shim meets the real system; where there
    // is no /dev/iommu it fails at open.
    if !FileManager.default.fileExists(atPath: "/dev/iommu") {
      let bare = try Self.run(exe, [])
      #expect(bare.status != 0 && bare.stderr.contains("open /dev/iommu"))
    }
  }

  /// poll() is the shim's sync point and cmdqv_preload_window() its MMIO
  /// escape hatch: a guest error becomes a readable vEVENTQ record.
  @Test func preloadPollIsTheSyncPoint() throws {
    guard Self.requireLibrary("libcmdqv-preload.so"),
      let exe = try Self.compile("Tests/CPrograms/preload_events.c", name: "preload_events", library: false, links: ["-ldl"])
    else { return }
    let result = try Self.run(exe, [], environment: ["LD_PRELOAD": Self.products + "/libcmdqv-preload.so"])
    #expect(result.status == 0 && result.stdout == "preload_events: ok\n", "\(result.stdout)\(result.stderr)")
  }
}
