import Foundation
import RegisterMapKit

// regmapgen: validate register maps, regenerate the Swift register layer and
// Docs/Registers.md, dump the map as JSON. Exit status: 0 success, 1 invalid
// maps, 2 bad arguments.

let usage = """
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

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("regmapgen: error: \(message)\n".utf8))
  FileHandle.standardError.write(Data((usage + "\n").utf8))
  exit(2)
}

func report(_ list: DiagnosticList) -> Never {
  FileHandle.standardError.write(Data((list.description + "\n").utf8))
  exit(1)
}

var args = Array(CommandLine.arguments.dropFirst())
if args.contains("--help") || args.contains("-h") {
  print(usage)
  exit(0)
}
var root = FileManager.default.currentDirectoryPath
if let i = args.firstIndex(of: "--root") {
  guard i + 1 < args.count else { fail("--root needs a directory") }
  root = args[i + 1]
  args.removeSubrange(i...(i + 1))
}
let command = args.first ?? "generate"
let rest = Array(args.dropFirst())

switch command {
case "generate":
  if let extra = rest.first { fail("unexpected argument '\(extra)' for generate") }
  guard FileManager.default.fileExists(atPath: root + "/RegisterMaps") else {
    fail("no RegisterMaps/ directory in \(root); run from the package root or pass --root DIR")
  }
  do {
    let changed = try RegisterMapGeneration.write(root: root)
    if changed.isEmpty {
      print("regmapgen: generated files are up to date")
    } else {
      for path in changed { print("regmapgen: wrote \(path)") }
    }
  } catch let list as DiagnosticList {
    report(list)
  } catch {
    FileHandle.standardError.write(Data("regmapgen: error: \(error)\n".utf8))
    exit(1)
  }
case "check":
  guard !rest.isEmpty else { fail("check needs at least one FILE") }
  if let flag = rest.first(where: { $0.hasPrefix("-") }) { fail("unknown option '\(flag)' for check") }
  do {
    let maps = try RegisterMapLoader.load(files: rest)
    let count = maps.reduce(0) { $0 + $1.blocks.reduce(0) { $0 + $1.registers.count } }
    print("regmapgen: \(maps.count) map(s) valid, \(count) register definitions")
  } catch {
    report(error)
  }
case "dump":
  guard rest.first == "--json" else { fail("dump needs --json (the only output format)") }
  var files = Array(rest.dropFirst())
  if let flag = files.first(where: { $0.hasPrefix("-") }) { fail("unknown option '\(flag)' for dump") }
  if files.isEmpty {
    files = RegisterMapLoader.defaultFiles(root: root)
    if files.isEmpty { fail("no RegisterMaps/*.yaml under \(root); pass FILE... or --root DIR") }
  }
  do {
    let maps = try RegisterMapLoader.load(files: files)
    let out = FileHandle.standardOutput
    var buffer = ""
    JSONDumper.dump(maps) { chunk in
      buffer += chunk
      if buffer.utf8.count > 1 << 16 {
        out.write(Data(buffer.utf8))
        buffer = ""
      }
    }
    out.write(Data(buffer.utf8))
  } catch {
    report(error)
  }
default:
  fail("unknown command '\(command)'")
}
