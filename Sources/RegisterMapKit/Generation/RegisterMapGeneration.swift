import Foundation

/// What `swift run regmapgen` writes, computed in memory so that a test can
/// compare it with the committed files (the drift check).
public enum RegisterMapGeneration {
  /// Where the generated Swift lives, relative to the package root.
  public static let generatedDirectory = "Sources/CMDQVRegisters/Generated"
  /// The generated register reference, relative to the package root.
  public static let referencePath = "Docs/Registers.md"

  /// Relative path → contents of every generated file, from the default maps
  /// under `root`.
  public static func plan(root: String) throws(DiagnosticList) -> [String: String] {
    let files = RegisterMapLoader.defaultFiles(root: root)
    guard !files.isEmpty else {
      throw DiagnosticList([Diagnostic("no *.yaml register maps found", at: Mark(file: root + "/RegisterMaps", line: 1, column: 1))])
    }
    let maps = try RegisterMapLoader.load(files: files)
    var plan: [String: String] = [:]
    for (name, text) in SwiftGenerator.generate(maps) { plan[generatedDirectory + "/" + name] = text }
    plan[referencePath] = MarkdownGenerator.generate(maps)
    return plan
  }

  /// Differences between the plan and the files on disk: missing, stale or
  /// extra files (an extra `.swift` file in the generated directory counts).
  public static func drift(root: String) throws(DiagnosticList) -> [String] {
    let plan = try plan(root: root)
    var problems: [String] = []
    for (path, text) in plan.sorted(by: { $0.key < $1.key }) {
      guard let data = FileManager.default.contents(atPath: root + "/" + path) else {
        problems.append("missing: \(path)")
        continue
      }
      if String(decoding: data, as: UTF8.self) != text { problems.append("differs from the YAML: \(path)") }
    }
    let existing = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + generatedDirectory)) ?? []
    for name in existing.sorted() where plan[generatedDirectory + "/" + name] == nil {
      problems.append("not generated from any map: \(generatedDirectory)/\(name)")
    }
    return problems
  }

  /// Writes the plan under `root`, removing generated files no map produces.
  /// Returns the paths written or removed.
  public static func write(root: String) throws -> [String] {
    let plan = try plan(root: root)
    let fm = FileManager.default
    try fm.createDirectory(atPath: root + "/" + generatedDirectory, withIntermediateDirectories: true)
    var changed: [String] = []
    for (path, text) in plan.sorted(by: { $0.key < $1.key }) {
      let full = root + "/" + path
      if let data = fm.contents(atPath: full), String(decoding: data, as: UTF8.self) == text { continue }
      // Written in place (open with O_TRUNC), never a temporary file renamed over it.
      try text.write(toFile: full, atomically: false, encoding: .utf8)
      changed.append(path)
    }
    for name in try fm.contentsOfDirectory(atPath: root + "/" + generatedDirectory).sorted()
    where plan[generatedDirectory + "/" + name] == nil {
      try fm.removeItem(atPath: root + "/" + generatedDirectory + "/" + name)
      changed.append("removed " + generatedDirectory + "/" + name)
    }
    return changed
  }
}
