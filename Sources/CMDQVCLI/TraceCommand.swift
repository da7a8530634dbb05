import CMDQVTrace

/// `cmdqv trace show FILE`, `cmdqv trace diff A B`.
enum TraceCommand {
  static let showParser = ArgumentParser(command: "trace", options: [], positionalNames: ["FILE"], minimumPositionals: 1)
  static let diffParser = ArgumentParser(
    command: "trace",
    options: [
      OptionSpec(name: "cycles", short: nil, takesValue: false),
      OptionSpec(name: "context", short: nil, takesValue: true, valueName: "N"),
    ],
    positionalNames: ["A", "B"], minimumPositionals: 2)

  static func run(_ arguments: [String], _ io: CLIContext) throws(UsageError) -> Int32 {
    guard let sub = arguments.first else { throw UsageError("missing action: show or diff", help: "trace") }
    let rest = Array(arguments.dropFirst())
    switch sub {
    case "show":
      let args = try showParser.parse(rest)
      try read(args.positionals[0]) { record in io.stdout.line(record.textLine) }
      return 0
    case "diff":
      let args = try diffParser.parse(rest)
      var options = TraceDiff.Options(compareCycles: args.flag("cycles"))
      if let c = args.value("context") {
        options.context = Int(try NumberArgument.parse(c, what: "--context", bits: 16, command: "trace"))
      }
      // Both traces are streamed side by side: memory is a line of each
      // plus the context, whatever their length.
      let a = try open(args.positionals[0]), b = try open(args.positionals[1])
      var countA = 0, countB = 0
      let divergence: TraceDiff.Divergence?
      do {
        divergence = try TraceDiff(options: options).firstDivergence(
          left: { try a.next().map { countA += 1; return $0 } }, right: { try b.next().map { countB += 1; return $0 } })
        // The rest is still read: a malformed line anywhere is bad input (exit 2).
        while try a.next() != nil {}
        while try b.next() != nil {}
      } catch {
        throw usageError(error, path: "\(error)")
      }
      guard let d = divergence else {
        io.stdout.line("traces are equivalent (\(countA) and \(countB) records)")
        return 0
      }
      io.stdout.write(d.report.hasSuffix("\n") ? d.report : d.report + "\n")
      return 1
    default:
      throw UsageError("unknown trace action '\(sub)'; expected show or diff", help: "trace")
    }
  }

  static func read(_ path: String, _ body: (TraceRecord) -> Void) throws(UsageError) {
    do {
      try JSONLinesReader(path: path).forEachRecord { body($0) }
    } catch {
      throw usageError(error, path: path)
    }
  }

  static func open(_ path: String) throws(UsageError) -> TraceRecordCursor {
    do { return try JSONLinesReader(path: path).records() } catch { throw usageError(error, path: path) }
  }

  /// A positioned read error stands on its own; anything else names the file.
  static func usageError(_ error: any Error, path: String) -> UsageError {
    if let error = error as? TraceReadError { return UsageError(error.description, help: nil) }
    return UsageError("cannot read trace '\(path)': \(error)", help: "trace")
  }
}
