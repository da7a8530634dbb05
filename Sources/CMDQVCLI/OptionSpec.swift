/// The options a subcommand accepts.
struct OptionSpec {
  var name: String
  var short: Character?
  var takesValue: Bool
  var valueName: String = "VALUE"
}
