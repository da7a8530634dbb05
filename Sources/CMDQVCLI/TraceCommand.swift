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
      var a: [TraceRecord] = [], b: [TraceRecord] = []
      try read(args.positionals[0]) { a.append($0) }
      try read(args.positionals[1]) { b.append($0) }
      guard let d = TraceDiff(options: options).firstDivergence(a, b) else {
        io.stdout.line("traces are equivalent (\(a.count) and \(b.count) records)")
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
    } catch let error as TraceReadError {
      throw UsageError(error.description, help: nil)
    } catch {
      throw UsageError("cannot read trace '\(path)': \(error)", help: "trace")
    }
  }
}
