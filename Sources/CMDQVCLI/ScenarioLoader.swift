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
      switch BoundedFileReader.read(path, limit: ScenarioParser.maximumFileBytes) {
      case .success(let t): text = t
      case .failure(.tooLarge(let limit)):
        throw UsageError("cannot read scenario '\(path)': larger than \(limit) bytes", help: command)
      case .failure(.notUTF8), .failure(.readFailed):
        throw UsageError("cannot read scenario '\(path)': not readable as UTF-8 text", help: command)
      case .failure(.cannotOpen):
        let reason = FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file"
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
