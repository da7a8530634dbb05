import CMDQVModel
import CMDQVRegisters
import RegisterMapKit

/// Parses steps in order, keeping the names earlier steps defined so a
/// reference to an undefined or wrong-kind name is a positioned error.
struct StepBuilder {
  let sink: DiagnosticSink
  let configuration: CMDQVConfiguration
  /// Built on first use (only `expect_register` names registers): building
  /// it costs more than parsing a small scenario.
  lazy var registers = ConfiguredRegisterMap(configuration: configuration)
  /// name → (kind, where it was defined)
  var names: [String: (kind: NameKind, mark: Mark)] = [:]
  /// Whether a `boot` step came earlier: driver steps need a booted system.
  var booted = false
  /// Bytes every `map` step so far asks the model to back.
  var mappedBytes: UInt64 = 0

  enum NameKind: String {
    case ioas = "IOAS", device = "device", hwpt = "HWPT", viommu = "vIOMMU", window = "mmap window"
    case vdevice = "vDEVICE", veventq = "vEVENTQ", hwQueue = "HW queue"
  }

  init(sink: DiagnosticSink, configuration: CMDQVConfiguration) {
    self.sink = sink
    self.configuration = configuration
  }

  static let actions = [
    "boot", "note", "ioas", "map", "unmap", "bind", "hwpt", "attach", "viommu", "mmap", "munmap", "vdevice", "veventq",
    "hw_queue", "guest_enable", "guest_submit", "guest_ack", "host_issue", "invalidate", "destroy", "write", "step",
    "expect_register", "expect_fault", "expect_violation", "expect_events", "expect_commands", "inject", "close",
  ]

  /// Steps that act on the bare device and may run before `boot`.
  static let beforeBoot: Set<String> = [
    "boot", "note", "write", "step", "inject", "expect_register", "expect_fault", "expect_violation",
    "expect_commands",
  ]

  mutating func parseStep(_ node: YAMLNode) -> ScenarioStep? {
    guard case .mapping(let m) = node, m.entries.count == 1, let entry = m.entries.first else {
      if case .mapping(let m) = node, m.entries.count > 1 {
        sink.add(
          "a step has exactly one action key, found \(m.entries.count) (\(m.entries.map(\.key.text).joined(separator: ", "))); indent the action's keys under it",
          at: m.entries[1].key.mark)
      } else {
        sink.add("a step must be a mapping with one action key (e.g. '- boot:'), found a \(node.kindName)", at: node.mark)
      }
      return nil
    }
    let action = entry.key.text
    guard Self.actions.contains(action) else {
      sink.add("unknown action '\(action)'; expected one of: \(Self.actions.joined(separator: ", "))", at: entry.key.mark)
      return nil
    }
    if action == "boot" { booted = true }
    if !booted && !Self.beforeBoot.contains(action) {
      sink.add("'\(action)' needs the booted drivers: put a '- boot:' step before it", at: entry.key.mark)
      return nil
    }
    let before = sink.diagnostics.count
    let parsed = parseAction(action, entry.value, at: entry.key.mark)
    guard sink.diagnostics.count == before, let (a, title) = parsed else { return nil }
    return ScenarioStep(action: a, mark: entry.key.mark, title: title)
  }

  // MARK: Helpers

  func fields(_ node: YAMLNode, _ action: String, _ keys: [String]) -> ScenarioFields {
    ScenarioFields(node, context: "'\(action)'", allowed: keys, sink: sink)
  }

  /// A new name; duplicates are errors.
  mutating func define(_ f: ScenarioFields, _ kind: NameKind, key: String = "name") -> String {
    guard let s = f.scalar(key, required: true) else { return "" }
    guard !s.text.isEmpty else {
      sink.add("'\(key)' in \(f.context) must not be empty", at: s.mark)
      return ""
    }
    if let previous = names[s.text] {
      sink.add(Diagnostic(
        "name '\(s.text)' is already defined (a \(previous.kind.rawValue))", at: s.mark, related: previous.mark,
        relatedMessage: "'\(s.text)' defined here"))
    } else {
      names[s.text] = (kind, s.mark)
    }
    return s.text
  }

  /// A reference to a name an earlier step defined, of one of `kinds`.
  func reference(_ f: ScenarioFields, _ key: String, _ kinds: [NameKind], required: Bool = true) -> String? {
    guard let s = f.scalar(key, required: required) else { return nil }
    let what = kinds.map(\.rawValue).joined(separator: " or ")
    guard let defined = names[s.text] else {
      sink.add("undefined name '\(s.text)': no earlier step defines a \(what) with that name", at: s.mark)
      return nil
    }
    guard kinds.contains(defined.kind) else {
      sink.add("'\(s.text)' is a \(defined.kind.rawValue), expected a \(what)", at: s.mark)
      return nil
    }
    return s.text
  }

  func expect(_ f: ScenarioFields) -> String? {
    guard let s = f.scalar("expect", required: false) else { return nil }
    if s.text == "success" { return nil }
    guard ScenarioParser.errnoNames.contains(s.text) else {
      sink.add(
        "unknown errno '\(s.text)'; expected success or one of: \(ScenarioParser.errnoNames.joined(separator: ", "))",
        at: s.mark)
      return nil
    }
    return s.text
  }

  func scalarValue(_ node: YAMLNode, _ action: String) -> YAMLScalar? {
    guard case .scalar(let s) = node else {
      sink.add("'\(action)' takes a scalar, found a \(node.kindName)", at: node.mark)
      return nil
    }
    return s
  }

  func lvcmdq(_ f: ScenarioFields) -> Int {
    // GuestLVCMDQ requires 0..<128 (the page holds 128 LVCMDQs of 0x80 bytes).
    f.int("queue", in: 0...127, required: true) ?? 0
  }
}
