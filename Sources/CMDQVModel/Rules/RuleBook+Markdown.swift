import CMDQVRegisters

extension RuleBook {
  /// The rule table as Markdown, one section per rule grouped by family:
  /// the part of Docs/Rules.md between its `BEGIN RULES` / `END RULES`
  /// markers (a test keeps the two identical).
  public static var markdown: String {
    var out = ""
    for family in RuleFamily.allCases {
      let members = rules.filter { $0.family == family }
      guard !members.isEmpty else { continue }
      out += "## \(family.rawValue)\n\n"
      for rule in members {
        out += "### \(rule.id.rawValue)\n\n"
        out += "\(rule.statement)\n\n"
        out += "- **Source:** \(rule.source)\n"
        out += "- **Triggered by:** \(rule.observes)\n"
        out += "- **Example violation:** \(rule.example)\n\n"
      }
    }
    return out
  }
}
