import Foundation
import Testing

import CMDQVRegisters
@testable import RegisterMapKit

/// The package root, found from this file's path (Tests/RegisterMapKitTests/…).
let packageRoot: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}()

@Suite struct GenerationDriftTests {
  /// Changing a YAML file without running `swift run regmapgen` fails here.
  @Test func committedGeneratedFilesMatchTheYAML() throws {
    let problems = try RegisterMapGeneration.drift(root: packageRoot)
    #expect(problems.isEmpty, "generated files are stale; run `swift run regmapgen`:\n\(problems.joined(separator: "\n"))")
  }

  @Test func driftIsDetectedForAnEditedMap() throws {
    // Copy the package's maps and generated files, edit one YAML, re-check.
    let fm = FileManager.default
    let tmp = fm.temporaryDirectory.appendingPathComponent("regmapgen-drift-\(UUID().uuidString)").path
    defer { try? fm.removeItem(atPath: tmp) }
    for dir in ["RegisterMaps", RegisterMapGeneration.generatedDirectory, "Docs"] {
      try fm.createDirectory(atPath: tmp + "/" + dir, withIntermediateDirectories: true)
    }
    for name in try fm.contentsOfDirectory(atPath: packageRoot + "/RegisterMaps") {
      try fm.copyItem(atPath: packageRoot + "/RegisterMaps/" + name, toPath: tmp + "/RegisterMaps/" + name)
    }
    let gen = RegisterMapGeneration.generatedDirectory
    for name in try fm.contentsOfDirectory(atPath: packageRoot + "/" + gen) {
      try fm.copyItem(atPath: packageRoot + "/" + gen + "/" + name, toPath: tmp + "/" + gen + "/" + name)
    }
    try fm.copyItem(atPath: packageRoot + "/Docs/Registers.md", toPath: tmp + "/Docs/Registers.md")
    #expect(try RegisterMapGeneration.drift(root: tmp).isEmpty)

    let yaml = tmp + "/RegisterMaps/tegra241-cmdqv.yaml"
    let edited = try String(contentsOfFile: yaml, encoding: .utf8)
      .replacingOccurrences(of: "description: \"Global CMDQV enable (CMDQV_EN).\"", with: "description: \"Edited.\"")
    try edited.write(toFile: yaml, atomically: true, encoding: .utf8)
    let problems = try RegisterMapGeneration.drift(root: tmp)
    #expect(problems.contains("differs from the YAML: \(gen)/CMDQVConfig.swift"))
    #expect(problems.contains("differs from the YAML: Docs/Registers.md"))

    // An extra file in Generated/ is drift too; regenerating removes it.
    try "// stray".write(toFile: tmp + "/" + gen + "/Stray.swift", atomically: true, encoding: .utf8)
    #expect(try RegisterMapGeneration.drift(root: tmp).contains("not generated from any map: \(gen)/Stray.swift"))
    _ = try RegisterMapGeneration.write(root: tmp)
    #expect(try RegisterMapGeneration.drift(root: tmp).isEmpty)
  }

  /// The generated runtime layout and the schema agree on every instance.
  @Test func runtimeLayoutMatchesTheSchema() throws {
    let maps = try RegisterMapLoader.load(files: RegisterMapLoader.defaultFiles(root: packageRoot))
    var dumped: [String: (Int, Int)] = [:]
    var json = ""
    JSONDumper.dump(maps) { json += $0 }
    let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    for e in entries {
      dumped["\(e["map"]!)/\(e["name"]!)"] = (e["offset"] as! Int, e["width"] as! Int)
    }
    var runtime = 0
    for layout in [Tegra241CMDQVMap.layout, SMMUv3Map.layout] {
      for instance in layout.allInstances() {
        runtime += 1
        let entry = dumped["\(layout.name)/\(instance.name)"]
        #expect(entry?.0 == instance.offset, "\(instance.name)")
        #expect(entry?.1 == instance.info.width, "\(instance.name)")
        #expect(layout.decode(offset: instance.offset)?.name == instance.name)
      }
    }
    #expect(runtime == entries.count)
  }
}
