import CMDQVModel
import CMDQVRegisters
import CMDQVTrace
import Foundation
import Testing

/// Records every event of a ``CMDQVSystem`` as ``TraceRecord``s and checks
/// them from a test. Failures are recorded as Swift Testing issues at the
/// caller's line, with a readable diff.
///
/// ```swift
/// let system = try CMDQVSystem(boot: false)
/// let trace = TraceCapture(system)
/// try system.boot()
/// trace.expectWrites(["CMDQV_CONFIG", "CMDQV_CMDQ_ALLOC0", "VINTF0_CONFIG"])
/// ```
public final class TraceCapture {
  public let system: CMDQVSystem
  public let recorder: TraceRecorder

  /// Starts recording (keeping any sink already attached).
  public init(_ system: CMDQVSystem, capacity: Int = 1_000_000) {
    self.system = system
    self.recorder = TraceRecorder(capacity: capacity)
    system.attach(recorder)
  }

  /// Stops recording.
  public func stop() { system.detach(recorder) }

  /// Everything recorded so far.
  public var records: [TraceRecord] { recorder.records }

  /// Forgets what was recorded (recording goes on).
  public func reset() { recorder.reset() }

  /// The MMIO writes recorded, optionally only those of `initiator`.
  public func writes(by initiator: Initiator? = nil) -> [TraceRecord] {
    recorder.records.writes(initiator: initiator?.traceLabel)
  }

  /// The recorded trace as text lines.
  public var text: String { recorder.text }

  /// Checks that `expected` register writes appear in this order among the
  /// recorded writes; reads (polls) and other writes in between are ignored.
  /// Returns whether they did.
  @discardableResult
  public func expectWrites(_ expected: [ExpectedWrite], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard let report = firstMismatch(expectedSubsequence: expected, in: recorder.records) else { return true }
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
    return false
  }

  /// `expectWrites` by register instance names only (`VINTF1_SID_REPLACE0`).
  @discardableResult
  public func expectWrites(_ names: [String], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectWrites(names.map { ExpectedWrite($0) }, sourceLocation: sourceLocation)
  }

  /// Checks that the recorded writes (only those of `initiator`, when given)
  /// are exactly `expected`: nothing missing, nothing extra, in this order.
  /// Reads are ignored. Returns whether they were.
  @discardableResult
  public func expectExactWrites(
    _ expected: [ExpectedWrite], by initiator: Initiator? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) -> Bool {
    guard let report = firstMismatch(expectedExactly: expected, in: writes(by: initiator)) else { return true }
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
    return false
  }

  /// `expectExactWrites` by register instance names only.
  @discardableResult
  public func expectExactWrites(
    _ names: [String], by initiator: Initiator? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) -> Bool {
    expectExactWrites(names.map { ExpectedWrite($0) }, by: initiator, sourceLocation: sourceLocation)
  }

  /// Checks that no MMIO write (of `initiator`, when given) was recorded.
  /// `expectExactWrites([])` is ambiguous between the `[ExpectedWrite]` and
  /// `[String]` overloads; this says the same thing by name.
  @discardableResult
  public func expectNoWrites(by initiator: Initiator? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectExactWrites([ExpectedWrite](), by: initiator, sourceLocation: sourceLocation)
  }

  /// Checks that no access fault or rule violation was recorded.
  @discardableResult
  public func expectNoFaults(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    let faults = recorder.records.filter { $0.kind == .fault || $0.kind == .violation }
    guard !faults.isEmpty else { return true }
    Issue.record(
      Comment(rawValue: "unexpected faults:\n" + faults.map { "  " + $0.textLine }.joined(separator: "\n")),
      sourceLocation: sourceLocation)
    return false
  }

  /// Compares the recorded trace with the golden JSON Lines trace at `path`
  /// (first divergence, poll runs collapsed, cycles ignored by default). With
  /// the environment variable `CMDQV_UPDATE_GOLDEN=1`, (re)writes the golden
  /// file instead, creating missing directories; a failure to write names
  /// the errno and its reason. A missing golden file is a failure that says
  /// how to create it.
  @discardableResult
  public func expectMatchesGolden(
    _ path: String, options: TraceDiff.Options = TraceDiff.Options(), sourceLocation: SourceLocation = #_sourceLocation
  ) -> Bool {
    if ProcessInfo.processInfo.environment["CMDQV_UPDATE_GOLDEN"] == "1" {
      if let failure = writeGolden(path) {
        Issue.record(Comment(rawValue: "cannot write golden trace \(path): \(failure)"), sourceLocation: sourceLocation)
        return false
      }
      return true
    }
    let golden: [TraceRecord]
    do {
      golden = try JSONLinesReader.read(path: path)
    } catch {
      Issue.record(
        Comment(rawValue: "cannot read golden trace: \(error)\n(run the test with CMDQV_UPDATE_GOLDEN=1 to create it)"),
        sourceLocation: sourceLocation)
      return false
    }
    guard let divergence = TraceDiff(options: options).firstDivergence(golden, recorder.records) else { return true }
    Issue.record(
      Comment(rawValue: "trace differs from golden \(path) (- golden, + this run):\n\(divergence.report)"),
      sourceLocation: sourceLocation)
    return false
  }

  /// Writes the golden file: parent directories first, then the file opened
  /// like a Unix tool (O_WRONLY|O_CREAT|O_TRUNC, mode 0666 less the umask).
  /// Returns what failed, with the errno and its reason, or `nil`.
  func writeGolden(_ path: String) -> String? {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        return "cannot create directory \(directory): \((error as NSError).localizedDescription)"
      }
    }
    var fd: Int32
    repeat { fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666) } while fd < 0 && errno == EINTR
    guard fd >= 0 else { return "open: \(Self.errnoDescription(errno))" }
    let bytes = Array(recorder.records.map { $0.jsonLine + "\n" }.joined().utf8)
    var written = 0
    while written < bytes.count {
      let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        let failure = "write: \(Self.errnoDescription(errno))"
        close(fd)
        return failure
      }
      written += n
    }
    guard close(fd) == 0 else { return "close: \(Self.errnoDescription(errno))" }
    return nil
  }

  static func errnoDescription(_ code: Int32) -> String {
    "errno \(code) (\(String(cString: strerror(code))))"
  }

  /// Writes the recorded trace as JSON Lines (flushed and closed).
  public func writeJSONLines(to path: String) throws {
    let session = try TraceSession(to: .file(path), format: .jsonLines)
    for record in recorder.records { (session.writer as? JSONLinesTraceWriter)?.write(record) }
    try session.close()
  }
}

extension TraceCapture {
  /// ``CMDQVSystem/expectNoViolations(sourceLocation:)`` of the traced system.
  @discardableResult
  public func expectNoViolations(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    system.expectNoViolations(sourceLocation: sourceLocation)
  }

  /// ``CMDQVSystem/expectViolation(_:count:sourceLocation:)`` of the traced system.
  @discardableResult
  public func expectViolation(
    _ rule: RuleID, count: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) -> [RuleViolation] {
    system.expectViolation(rule, count: count, sourceLocation: sourceLocation)
  }
}
