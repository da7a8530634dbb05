import Foundation
import RegisterMapKit

// regmapgen: validate register maps, regenerate the Swift register layer and
// Docs/Registers.md, dump the map as JSON. See RegMapGenCommand.
let status = RegMapGenCommand.run(
  Array(CommandLine.arguments.dropFirst()), currentDirectory: FileManager.default.currentDirectoryPath,
  out: { FileHandle.standardOutput.write(Data($0.utf8)) },
  err: { FileHandle.standardError.write(Data($0.utf8)) })
exit(status)
