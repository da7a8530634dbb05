#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import CMDQVModel
import CMDQVTestSupport
import CMDQVTrace

/// `cmdqv run [SCENARIO] [--trace FILE] [--format F] [--rules SPEC] [--quiet]`.
enum RunCommand {
  static let parser = ArgumentParser(
    command: "run",
    options: [
      OptionSpec(name: "trace", short: nil, takesValue: true, valueName: "FILE"),
      OptionSpec(name: "format", short: nil, takesValue: true, valueName: "text|jsonl|vcd"),
      OptionSpec(name: "rules", short: nil, takesValue: true, valueName: "SPEC"),
      OptionSpec(name: "quiet", short: "q", takesValue: false),
    ],
    positionalNames: ["SCENARIO"], minimumPositionals: 0)

  enum Format: String { case text, jsonl, vcd }

  static func run(_ arguments: [String], _ io: CLIContext) throws(UsageError) -> Int32 {
    let args = try parser.parse(arguments)
    let tracePath = args.value("trace")
    var format = Format.text
    if let f = args.value("format") {
      guard let parsed = Format(rawValue: f) else {
        throw UsageError("unknown trace format '\(f)'; expected text, jsonl or vcd", help: "run")
      }
      guard tracePath != nil else { throw UsageError("--format needs --trace FILE", help: "run") }
      format = parsed
    } else if let tracePath {
      format = tracePath.hasSuffix(".jsonl") ? .jsonl : tracePath.hasSuffix(".vcd") ? .vcd : .text
    }
    var scenario = try ScenarioLoader.load(args.positionals.first, command: "run")
    if let spec = args.value("rules") {
      scenario.configuration.rulePolicies = try RulesArgument.parse(spec, base: scenario.configuration.rulePolicies)
    }
    let execution = ScenarioExecution(scenario: scenario)

    var session: TraceSession?
    if let tracePath {
      let c = scenario.configuration
      let traceFormat: TraceFormat =
        switch format {
        case .text: .text
        case .jsonl: .jsonLines
        case .vcd:
          .vcdStartingFrom(
            VCDSignalSet(
              vintfs: c.numVINTFs, vcmdqs: c.numVCMDQs, lvcmdqsPerVINTF: c.numLVCMDQsPerVINTF,
              cyclesPerMicrosecond: c.cyclesPerMicrosecond),
            initialValues: execution.system.device.peekRegister)
        }
      let destination: TraceDestination = tracePath == "-" ? .output(CLITraceOutput(io.stdout)) : .file(tracePath)
      do {
        session = try TraceSession(to: destination, format: traceFormat)
      } catch {
        // An I/O failure, not bad usage: exit 1 with the errno.
        io.stderr.line(traceFailure(tracePath, error))
        return 1
      }
      execution.eventSink = session?.writer
    }

    let quiet = args.flag("quiet")
    let story = tracePath == "-" ? io.stderr : io.stdout
    if quiet {
      let progress: ((Int, Int) -> Void)? =
        io.terminal.stderr ? { i, n in io.stderr.write("\rstep \(i)/\(n)") } : nil
      execution.runToEnd(progress: progress)
      if progress != nil { io.stderr.write("\r\u{1B}[K") }
    } else {
      // The story: one line per step, what the VMM did and what came back.
      while !execution.isFinished {
        story.line(StepLine.text(execution.executeNextStep(), total: scenario.steps.count))
      }
    }
    execution.eventSink = nil
    // Closed (flushed) whether or not the scenario passed; a VCD ends at the
    // run's last cycle and gets a GTKWave save file next to it.
    do { try session?.close(endCycle: execution.system.device.cycle) } catch {
      io.stderr.line(traceFailure(tracePath ?? "-", error))
      return 1
    }
    // Only next to a regular file: a FIFO or device gets no sibling file.
    if let vcd = session?.writer as? VCDTraceWriter, let tracePath, tracePath != "-", isRegularFile(tracePath) {
      let savePath = saveFilePath(forVCD: tracePath)
      do { try writeSaveFile(vcd, vcdPath: tracePath) } catch {
        io.stderr.line(traceFailure(savePath, error))
        return 1
      }
    }

    let report = execution.report
    let out = tracePath == "-" ? io.stderr : io.stdout
    out.write(report.summary)
    if out !== io.stderr {
      if let failure = report.failure { io.stderr.line(failure.description) }
      for i in report.unexpectedIncidents { io.stderr.line("cmdqv run: warning: UNEXPECTED \(i)") }
    }
    return report.passed ? 0 : 1
  }

  /// Whether `path` (symlinks followed) is a regular file.
  static func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  /// `run.vcd` → `run.gtkw` (the extension replaced, or `.gtkw` appended).
  static func saveFilePath(forVCD path: String) -> String {
    path.hasSuffix(".vcd") ? String(path.dropLast(4)) + ".gtkw" : path + ".gtkw"
  }

  static func writeSaveFile(_ vcd: VCDTraceWriter, vcdPath: String) throws {
    let output = try FileTraceOutput(path: saveFilePath(forVCD: vcdPath))
    try output.write(Array(vcd.gtkwaveSaveFile(dumpFile: vcdPath).utf8))
    try output.close()
  }

  /// `cmdqv run: error: cannot write trace 'PATH': write failed: No space left on device (errno 28)`.
  static func traceFailure(_ path: String, _ error: any Error) -> String {
    let detail = (error as? TraceOutputError)?.message ?? "\(error)"
    return "cmdqv run: error: cannot write trace '\(path)': \(detail)"
  }
}
