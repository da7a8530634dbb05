import Foundation

/// Loads register map files: parse, decode, validate. Either every map comes
/// back valid, or every problem found is thrown as a ``DiagnosticList`` (never
/// a partial result).
public enum RegisterMapLoader {
  /// Loads one map from text. `file` is used in diagnostics.
  public static func load(text: String, file: String) throws(DiagnosticList) -> RegisterMapSpec {
    let root = try YAMLParser.parse(text, file: file)
    var diagnostics: [Diagnostic] = []
    var map = RegisterMapDecoder.decode(root, file: file, diagnostics: &diagnostics)
    if diagnostics.isEmpty { RegisterMapValidator.validate(&map, diagnostics: &diagnostics) }
    if !diagnostics.isEmpty { throw DiagnosticList(diagnostics) }
    return map
  }

  /// Loads each file; reports problems of all files together. Map names must
  /// be unique across files.
  public static func load(files: [String]) throws(DiagnosticList) -> [RegisterMapSpec] {
    var maps: [RegisterMapSpec] = []
    var diagnostics: [Diagnostic] = []
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        diagnostics.append(Diagnostic("cannot read file", at: Mark(file: file, line: 1, column: 1)))
        continue
      }
      guard let text = String(data: data, encoding: .utf8) else {
        diagnostics.append(Diagnostic("file is not valid UTF-8", at: Mark(file: file, line: 1, column: 1)))
        continue
      }
      do {
        maps.append(try load(text: text, file: file))
      } catch {
        diagnostics += error.diagnostics
      }
    }
    var seen: [String: String] = [:]
    for map in maps {
      if let other = seen[map.name] {
        diagnostics.append(
          Diagnostic("map '\(map.name)' is also defined in \(other)", at: Mark(file: map.file, line: 1, column: 1)))
      }
      seen[map.name] = map.file
    }
    if !diagnostics.isEmpty { throw DiagnosticList(diagnostics) }
    return maps
  }

  /// The default maps: `RegisterMaps/*.yaml` under `root`, sorted by name.
  public static func defaultFiles(root: String) -> [String] {
    let dir = root + "/RegisterMaps"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map { dir + "/" + $0 }
  }
}
