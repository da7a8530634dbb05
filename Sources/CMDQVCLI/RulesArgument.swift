import CMDQVModel
import CMDQVRegisters

/// `--rules SPEC`: comma-separated `POLICY` (every rule) or `RULE-ID=POLICY`
/// items, applied in order on top of the scenario's own `device: rules:`.
/// POLICY is `record` or `ignore` (`trap` would stop the process).
///
/// `--rules ignore,LVCMDQ-MAP-ASCENDING=record`
enum RulesArgument {
  static func parse(_ spec: String, base: RulePolicies) throws(UsageError) -> RulePolicies {
    var policies = base
    let items = spec.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    for item in items {
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      if parts.count == 1 {
        policies = RulePolicies(try policy(parts[0], item: item))
        continue
      }
      let name = parts[0].uppercased()
      let p = try policy(parts[1], item: item)
      if name == "ALL" {
        policies.all = p
      } else if let rule = RuleID(rawValue: name) {
        policies[rule] = p
      } else {
        let close = RuleID.allCases.map(\.rawValue).min { editDistance($0, name) < editDistance($1, name) } ?? ""
        throw UsageError("--rules: unknown rule '\(parts[0])' (did you mean \(close)?)", help: "run")
      }
    }
    return policies
  }

  static func policy(_ text: String, item: String) throws(UsageError) -> RulePolicy {
    switch text {
    case "record": return .record
    case "ignore": return .ignore
    case "trap":
      throw UsageError("--rules: '\(item)': trap stops the process at the offending access; use record or ignore", help: "run")
    default:
      throw UsageError("--rules: '\(item)': expected record or ignore, or RULE-ID=record|ignore", help: "run")
    }
  }
}
