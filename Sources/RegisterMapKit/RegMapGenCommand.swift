import Foundation

/// The `regmapgen` command line, as a function so tests can run it without a
/// process. Exit status: 0 success, 1 invalid maps, 2 bad arguments.
public enum RegMapGenCommand {
  public static let usage = """
    usage: regmapgen [generate] [--root DIR]
           regmapgen check FILE...
           regmapgen dump --json [--root DIR] [FILE...]
           regmapgen --help

      generate   (default) regenerate Sources/CMDQVRegisters/Generated/ and
                 Docs/Registers.md from RegisterMaps/*.yaml under the package
                 root (the current directory unless --root is given)
      check      validate the given map files only; errors as file:line:col
      dump       print every concrete register instance of the maps (default:
                 RegisterMaps/*.yaml) as a JSON array of
                 {map, name, offset, width, reset, fields: [{name, lsb, msb, access}]}
    """

  /// Runs `arguments` (without the program name). `out` and `err` receive
  /// text as it is produced.
  public static func run(
    _ arguments: [String], currentDirectory: String, out: (String) -> Void, err: (String) -> Void
  ) -> Int32 {
    func fail(_ message: String) -> Int32 {
      err("regmapgen: error: \(message)\n\(usage)\n")
      return 2
    }
    var args = arguments
    if args.contains("--help") || args.contains("-h") {
      out(usage + "\n")
      return 0
    }
    var root = currentDirectory
    if let i = args.firstIndex(of: "--root") {
      guard i + 1 < args.count else { return fail("--root needs a directory") }
      root = args[i + 1]
      args.removeSubrange(i...(i + 1))
    }
    let command = args.first ?? "generate"
    let rest = Array(args.dropFirst())
    switch command {
    case "generate":
      if let extra = rest.first { return fail("unexpected argument '\(extra)' for generate") }
      guard FileManager.default.fileExists(atPath: root + "/RegisterMaps") else {
        return fail("no RegisterMaps/ directory in \(root); run from the package root or pass --root DIR")
      }
      do {
        let changed = try RegisterMapGeneration.write(root: root)
        if changed.isEmpty { out("regmapgen: generated files are up to date\n") }
        for path in changed { out("regmapgen: wrote \(path)\n") }
        return 0
      } catch let list as DiagnosticList {
        err(list.description + "\n")
        return 1
      } catch {
        err("regmapgen: error: \(error)\n")
        return 1
      }
    case "check":
      guard !rest.isEmpty else { return fail("check needs at least one FILE") }
      if let flag = rest.first(where: { $0.hasPrefix("-") }) { return fail("unknown option '\(flag)' for check") }
      do {
        let maps = try RegisterMapLoader.load(files: rest)
        let count = maps.reduce(0) { $0 + $1.blocks.reduce(0) { $0 + ($1.aliasOf == nil ? $1.registers.count : 0) } }
        out("regmapgen: \(maps.count) map(s) valid, \(count) register definitions\n")
        return 0
      } catch {
        err(error.description + "\n")
        return 1
      }
    case "dump":
      guard rest.first == "--json" else { return fail("dump needs --json (the only output format)") }
      var files = Array(rest.dropFirst())
      if let flag = files.first(where: { $0.hasPrefix("-") }) { return fail("unknown option '\(flag)' for dump") }
      if files.isEmpty {
        files = RegisterMapLoader.defaultFiles(root: root)
        if files.isEmpty { return fail("no RegisterMaps/*.yaml under \(root); pass FILE... or --root DIR") }
      }
      do {
        let maps = try RegisterMapLoader.load(files: files)
        var buffer = ""
        JSONDumper.dump(maps) { chunk in
          buffer += chunk
          if buffer.utf8.count > 1 << 16 {
            out(buffer)
            buffer = ""
          }
        }
        out(buffer)
        return 0
      } catch {
        err(error.description + "\n")
        return 1
      }
    default:
      return fail("unknown command '\(command)'")
    }
  }
}
