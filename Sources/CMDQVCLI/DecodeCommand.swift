import CMDQVRegisters

/// `cmdqv decode OFFSET [VALUE] [--map MAP]`.
enum DecodeCommand {
  static let parser = ArgumentParser(
    command: "decode",
    options: [OptionSpec(name: "map", short: nil, takesValue: true, valueName: "tegra241-cmdqv|smmuv3")],
    positionalNames: ["OFFSET", "VALUE"], minimumPositionals: 1)

  static func run(_ arguments: [String], _ io: CLIContext) throws(UsageError) -> Int32 {
    let args = try parser.parse(arguments)
    let layout = try RegisterMaps.layout(args.value("map"), command: "decode")
    let raw = try NumberArgument.parse(args.positionals[0], what: "OFFSET", bits: 32, command: "decode")
    let value = try args.positionals.count > 1
      ? NumberArgument.parse(args.positionals[1], what: "VALUE", command: "decode") : nil
    let offset = Int(raw)
    guard let i = layout.decode(offset: offset) else {
      throw UsageError("no register at offset \(RegisterMaps.hex(offset)) in \(layout.name)", help: "decode")
    }
    let block = layout.blocks.first { $0.name == i.block }
    var out = "\(RegisterMaps.hex(offset)): \(i.accessName) (\(layout.name), block \(i.block), aperture \(i.aperture)"
    if let alias = block?.aliasOf { out += ", alias of \(alias)" }
    out += ")\n"
    out += "  \(i.info.name): \(i.info.width)-bit at \(RegisterMaps.hex(i.offset)), reset \(RegisterMaps.hex(i.info.reset)), access \(RegisterMaps.access(i.info))\n"
    if !i.info.description.isEmpty { out += "  \(i.info.description)\n" }
    if var v = value {
      if i.halfOffset == 4 {
        guard v <= 0xFFFF_FFFF else { throw UsageError("VALUE \(args.positionals[1]) is wider than the 32-bit upper half", help: "decode") }
        v <<= 32
        out += "  value \(RegisterMaps.hex(value!)) as bits [63:32]\n"
      } else {
        guard i.info.width == 64 || v <= 0xFFFF_FFFF else {
          throw UsageError("VALUE \(args.positionals[1]) is wider than the 32-bit register", help: "decode")
        }
        out += "  value \(RegisterMaps.hex(v, width: i.info.width / 4))\n"
      }
      let lo = i.halfOffset == 4 ? 32 : 0, hi = i.halfOffset == 4 || i.info.width == 64 ? 63 : 31
      for f in i.info.fields where f.msb >= lo && f.lsb <= hi {
        out += "    \(f.bitRange.padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.render(f.extract(from: v)))  \(f.access.rawValue)\n"
      }
    } else {
      for f in i.info.fields {
        out += "    \(f.bitRange.padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.name)  \(f.access.rawValue)\n"
      }
    }
    io.stdout.write(out)
    return 0
  }
}
