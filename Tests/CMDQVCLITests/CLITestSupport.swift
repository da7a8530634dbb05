import CMDQVCLI
import Foundation
import Testing

/// What one in-process `cmdqv` invocation produced.
struct CLIResult {
  var status: Int32
  var stdout: String
  var stderr: String
  var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

/// Runs `cmdqv` in-process with piped (non-terminal) streams.
func cmdqv(_ arguments: String..., stdin: String = "") -> CLIResult {
  cmdqv(arguments: arguments, stdin: stdin)
}

func cmdqv(arguments: [String], stdin: String = "") -> CLIResult {
  var out = "", err = ""
  let status = CMDQVCommand.main(
    arguments: arguments, stdin: CLIInput(text: stdin), stdout: CLIOutput { out += $0 }, stderr: CLIOutput { err += $0 },
    isTerminal: .none)
  return CLIResult(status: status, stdout: out, stderr: err)
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().path

func shippedScenarioPath(_ name: String) -> String { repositoryRoot + "/Docs/Scenarios/\(name).yaml" }

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> String {
  let path = NSTemporaryDirectory() + "cmdqv-cli-tests-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// Expects bad input: status 2, exactly one stderr line containing `fragment`, no crash.
func expectBadInput(
  _ result: CLIResult, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(result.status == 2, "status \(result.status); stderr: \(result.stderr)", sourceLocation: sourceLocation)
  #expect(result.stderrLines.count == 1, "expected one message, got:\n\(result.stderr)", sourceLocation: sourceLocation)
  #expect(result.stderr.contains(fragment), "stderr lacks '\(fragment)':\n\(result.stderr)", sourceLocation: sourceLocation)
}
