import CMDQVRegisters
import CMDQVTestSupport
import CMDQVTrace

/// `cmdqv step [SCENARIO]`: an interactive stepper over a scenario.
enum StepCommand {
  static let parser = ArgumentParser(command: "step", options: [], positionalNames: ["SCENARIO"], minimumPositionals: 0)

  static func run(_ arguments: [String], _ io: CLIContext) throws(UsageError) -> Int32 {
    let args = try parser.parse(arguments)
    let scenario = try ScenarioLoader.load(args.positionals.first, command: "step")
    let session = StepSession(scenario: scenario, io: io)
    return session.loop()
  }
}
