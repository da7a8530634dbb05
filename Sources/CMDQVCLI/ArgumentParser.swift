/// Hand-written argument handling (no dependencies): `--name value`,
/// `--name=value`, `-x value`, `--` to end options, `-` as a positional;
/// unknown options get a did-you-mean; repeated options are errors.
struct ArgumentParser {
  var command: String
  var options: [OptionSpec]
  var positionalNames: [String]
  var minimumPositionals: Int

  func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
    var result = ParsedArguments()
    var i = 0
    var optionsEnded = false
    func take(_ spec: OptionSpec, inline: String?, spelled: String) throws(UsageError) {
      if spec.takesValue {
        if result.values[spec.name] != nil { throw UsageError("option '--\(spec.name)' given twice", help: command) }
        if let inline {
          result.values[spec.name] = inline
        } else {
          guard i + 1 < arguments.count else {
            throw UsageError("option '\(spelled)' needs a value (\(spec.valueName))", help: command)
          }
          i += 1
          result.values[spec.name] = arguments[i]
        }
      } else {
        if inline != nil { throw UsageError("option '--\(spec.name)' takes no value", help: command) }
        result.flags.insert(spec.name)
      }
    }
    while i < arguments.count {
      let arg = arguments[i]
      if !optionsEnded && arg == "--" {
        optionsEnded = true
      } else if !optionsEnded && arg.hasPrefix("--") {
        let body = arg.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
        guard let spec = options.first(where: { $0.name == name }) else {
          throw UsageError("unknown option '--\(name)'\(suggestion(for: name))", help: command)
        }
        try take(spec, inline: inline, spelled: "--\(name)")
      } else if !optionsEnded && arg.hasPrefix("-") && arg.count > 1 && !Self.looksNumeric(arg) {
        let c = arg.dropFirst().first!
        guard arg.count == 2, let spec = options.first(where: { $0.short == c }) else {
          throw UsageError("unknown option '\(arg)'", help: command)
        }
        try take(spec, inline: nil, spelled: arg)
      } else {
        result.positionals.append(arg)
      }
      i += 1
    }
    if result.positionals.count > positionalNames.count {
      let extra = result.positionals[positionalNames.count]
      throw UsageError("unexpected argument '\(extra)'", help: command)
    }
    if result.positionals.count < minimumPositionals {
      throw UsageError("missing \(positionalNames[result.positionals.count])", help: command)
    }
    return result
  }

  /// `-1` is a (bad) number, not an option.
  static func looksNumeric(_ s: String) -> Bool { s.dropFirst().first?.isNumber == true }

  func suggestion(for name: String) -> String {
    let best = options.map { ($0.name, editDistance($0.name, name)) }.min { $0.1 < $1.1 }
    guard let best, best.1 <= 2 else { return "" }
    return " (did you mean '--\(best.0)'?)"
  }
}
