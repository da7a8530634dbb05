import CMDQVTestSupport
import Foundation
import RegisterMapKit

/// Reads and parses a scenario argument, or the built-in one.
enum ScenarioLoader {
  static func load(_ path: String?, command: String) throws(UsageError) -> Scenario {
    let text: String
    let file: String
    if let path {
      file = path
      do {
        text = try String(contentsOfFile: path, encoding: .utf8)
      } catch {
        let reason = FileManager.default.fileExists(atPath: path) ? "not readable as UTF-8 text" : "no such file"
        throw UsageError("cannot read scenario '\(path)': \(reason)", help: command)
      }
    } else {
      file = "<built-in>/" + BuiltInScenario.fileName
      text = BuiltInScenario.text
    }
    do {
      return try ScenarioParser.parse(text: text, file: file)
    } catch {
      throw UsageError(error.description, help: nil)
    }
  }
}
