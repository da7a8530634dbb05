import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport

/// `cmdqv regs [PATTERN] [--all] [--map MAP]`.
enum RegsCommand {
  static let parser = ArgumentParser(
    command: "regs",
    options: [
      OptionSpec(name: "all", short: "a", takesValue: false),
      OptionSpec(name: "map", short: nil, takesValue: true, valueName: "tegra241-cmdqv|smmuv3"),
    ],
    positionalNames: ["PATTERN"], minimumPositionals: 0)

  static func run(_ arguments: [String], _ io: CLIContext) throws(UsageError) -> Int32 {
    let args = try parser.parse(arguments)
    let full = try RegisterMaps.layout(args.value("map"), command: "regs")
    let layout =
      args.flag("all") || full.name != Tegra241CMDQVMap.name
      ? full : ConfiguredRegisterMap(configuration: .default).layout
    let pattern = try args.positionals.first.map { (text) throws(UsageError) in try RegisterPattern(text) }
    var rows: [[String]] = []
    for block in layout.blocks {
      // Walk block by block so --all with a pattern never builds the whole list at once.
      let one = RegisterMapLayout(name: layout.name, blocks: [block])
      for i in one.allInstances() where pattern?.matches(i.name) ?? true {
        rows.append([
          i.name, RegisterMaps.hex(i.offset, width: 5), "\(i.info.width)", RegisterMaps.hex(i.info.reset),
          RegisterMaps.access(i.info), RegisterMaps.fields(i.info),
        ])
      }
    }
    guard !rows.isEmpty else {
      io.stderr.line("cmdqv regs: no register matches '\(args.positionals.first ?? "")'\(args.flag("all") ? "" : " (try --all)")")
      return 1
    }
    io.stdout.write(table(header: ["NAME", "OFFSET", "WIDTH", "RESET", "ACCESS", "FIELDS"], rows: rows))
    return 0
  }

  static func table(header: [String], rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() where i < r.count - 1 { widths[i] = max(widths[i], c.count) } }
    func line(_ r: [String]) -> String {
      r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
        .joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
  }
}
