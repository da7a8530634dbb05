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
      let text: String
      switch BoundedFileReader.read(file, limit: RegisterMapLimits.maxFileBytes) {
      case .success(let t): text = t
      case .failure(let failure):
        let message =
          switch failure {
          case .cannotOpen, .readFailed: "cannot read file"
          case .tooLarge(let limit): "file is larger than \(limit) bytes"
          case .notUTF8: "file is not valid UTF-8"
          }
        diagnostics.append(Diagnostic(message, at: Mark(file: file, line: 1, column: 1)))
        continue
      }
      do {
        maps.append(try load(text: text, file: file))
      } catch {
        diagnostics += error.diagnostics
      }
    }
    var seen: [String: String] = [:]
    // All maps generate into one module: their type names must differ too.
    var types: [String: Mark] = [:]
    for map in maps {
      if let other = seen[map.name] {
        diagnostics.append(
          Diagnostic("map '\(map.name)' is also defined in \(other)", at: Mark(file: map.file, line: 1, column: 1)))
      }
      seen[map.name] = map.file
      for (name, mark) in map.generatedTypeNames {
        if let first = types[name], first.file != mark.file {
          diagnostics.append(
            Diagnostic(
              "Swift type '\(name)' is also generated from \(first.file)", at: mark, related: first,
              relatedMessage: "'\(name)' defined here"))
        } else if types[name] == nil {
          types[name] = mark
        }
      }
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
