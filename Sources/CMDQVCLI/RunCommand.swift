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
        case .vcd: .vcd(VCDSignalSet(vintfs: c.numVINTFs, vcmdqs: c.numVCMDQs))
        }
      let destination: TraceDestination = tracePath == "-" ? .output(CLITraceOutput(io.stdout)) : .file(tracePath)
      do {
        session = try TraceSession(to: destination, format: traceFormat)
      } catch {
        throw UsageError("cannot write trace '\(tracePath)': \(error)", help: "run")
      }
      execution.eventSink = session?.writer
    }

    let progress: ((Int, Int) -> Void)? =
      io.terminal.stderr ? { i, n in io.stderr.write("\rstep \(i)/\(n)") } : nil
    execution.runToEnd(progress: progress)
    if progress != nil { io.stderr.write("\r\u{1B}[K") }
    execution.eventSink = nil
    // Closed (flushed) whether or not the scenario passed.
    do { try session?.close() } catch {
      io.stderr.line("cmdqv run: error: writing trace '\(tracePath ?? "")' failed: \(error)")
      return 2
    }

    let report = execution.report
    let out = tracePath == "-" ? io.stderr : io.stdout
    if args.flag("quiet") {
      if let failure = report.failure { io.stderr.line(failure.description) }
    } else {
      out.write(report.summary)
      if let failure = report.failure, out !== io.stderr { io.stderr.line(failure.description) }
    }
    return report.passed ? 0 : 1
  }
}
