import CMDQVModel
import CMDQVRegisters
import RegisterMapKit

/// Parses and validates a scenario file. Every problem (YAML syntax, unknown
/// action or key, missing key, wrong type, undefined name, bad errno or
/// opcode name, out-of-range value) is reported as `file:line:col: error:`
/// before anything runs.
public enum ScenarioParser {
  static let topLevelKeys = ["name", "description", "device", "steps"]
  /// The largest scenario file read: 1 MiB (the shipped ones are under 3 KiB).
  public static let maximumFileBytes = 1 << 20

  public static func parse(text: String, file: String) throws(DiagnosticList) -> Scenario {
    let root = try YAMLParser.parse(text, file: file)
    let sink = DiagnosticSink()
    let top = ScenarioFields(root, context: "the scenario", allowed: topLevelKeys, sink: sink)
    let name = top.string("name", required: true) ?? ""
    let description = top.string("description") ?? ""
    var configuration = CMDQVConfiguration.default
    if let device = top.mapping["device"] { configuration = parseDevice(device, sink: sink) }
    var steps: [ScenarioStep] = []
    if let sequence = top.sequence("steps", required: true) {
      var builder = StepBuilder(sink: sink, configuration: configuration)
      for item in sequence.items {
        if let step = builder.parseStep(item) { steps.append(step) }
      }
    }
    if !sink.diagnostics.isEmpty { throw DiagnosticList(sink.diagnostics) }
    return Scenario(name: name, description: description, file: file, configuration: configuration, steps: steps)
  }

  /// Errno names an `expect:` may use (`success` means no error).
  public static let errnoNames: [String] = [
    "EPERM", "ENOENT", "EIO", "ENXIO", "E2BIG", "ENOMEM", "EFAULT", "EBUSY", "EEXIST", "ENODEV", "EINVAL",
    "ENOSPC", "ERANGE", "EDEADLK", "EOVERFLOW", "EOPNOTSUPP", "ETIMEDOUT",
  ]

  /// CERROR names for `expect_error:` and `inject: command_error:`.
  public static let commandErrorNames: [String: UInt8] = ["ILL": 1, "ABT": 2, "ATC_INV_SYNC": 3, "ILL_ACCESS": 4]
}
