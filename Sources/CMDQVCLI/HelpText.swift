/// Help for `cmdqv --help` and each subcommand's `--help`.
enum HelpText {
  static func wantsHelp(_ arguments: [String]) -> Bool {
    for a in arguments {
      if a == "--" { return false }
      if a == "-h" || a == "--help" { return true }
    }
    return false
  }

  static func forCommand(_ name: String) -> String? {
    switch name {
    case "run": run
    case "regs": regs
    case "decode": decode
    case "trace": trace
    case "step": step
    case "help": global
    default: nil
    }
  }

  static let global = """
    USAGE: cmdqv [SUBCOMMAND] [OPTIONS]

    A register-level model of the Tegra241 CMDQV and its iommufd driver.
    With no subcommand, runs the built-in vmm-lifecycle scenario.

    SUBCOMMANDS:
      run [SCENARIO]          run a scenario file and print a summary
      regs [PATTERN]          the register map as a table
      decode OFFSET [VALUE]   name the register at OFFSET, decode VALUE
      trace show FILE         render a JSON Lines trace as text
      trace diff A B          first divergence of two JSON Lines traces
      step [SCENARIO]         step through a scenario interactively
      help [SUBCOMMAND]       this text, or a subcommand's

    OPTIONS:
      -h, --help              show help (also after a subcommand)
      --version               print the version

    EXIT STATUS: 0 success, 1 an expectation failed / traces differ, 2 bad input.
    See Docs/Scenarios.md for the scenario format.

    """

  static let run = """
    USAGE: cmdqv run [SCENARIO] [--trace FILE] [--format text|jsonl|vcd]
                     [--rules SPEC] [--quiet]

    Runs SCENARIO (default: the built-in vmm-lifecycle scenario) and prints a
    summary: steps, cycles, MMIO accesses, commands per queue, rule
    violations (rule ID, access, source), access faults, interrupts, vEVENTs.
    Stops at the first failed expectation and prints it as file:line:col; a
    rule violation no 'expect_violation' step claims is such a failure.

    OPTIONS:
      --trace FILE            write a trace of every device event ('-': stdout;
                              the summary then goes to stderr)
      --format FORMAT         text, jsonl or vcd (default: from FILE's
                              extension: .jsonl, .vcd, else text)
      --rules SPEC            rule policies over the scenario's own: comma-
                              separated 'record'/'ignore' (every rule) or
                              RULE-ID=record|ignore (Docs/Rules.md)
      -q, --quiet             print only a failure, not the summary

    EXIT STATUS: 0 passed, 1 an expectation failed or a rule was broken
    unexpectedly, 2 bad input.

    """

  static let regs = """
    USAGE: cmdqv regs [PATTERN] [--all] [--map tegra241-cmdqv|smmuv3]

    Lists register instances: name, offset, width, reset value, access and
    fields. PATTERN is a case-insensitive substring (CONFIG) or glob
    (VINTF1_*, *_LVCMDQ?_CONS).

    OPTIONS:
      --all                   every instance of the architectural maximum
                              (64 VINTFs, 128 VCMDQs); default: the default
                              device's 4 VINTFs, 8 VCMDQs, 2 LVCMDQs/VINTF
      --map MAP               tegra241-cmdqv (default) or smmuv3

    """

  static let decode = """
    USAGE: cmdqv decode OFFSET [VALUE] [--map tegra241-cmdqv|smmuv3]

    Names the register instance at OFFSET (absolute in the map's aperture;
    [63:32] for the upper half of a 64-bit register; logical-page aliases
    such as VINTF1_LVCMDQ1_CONS) and, with VALUE, decodes its fields.
    Numbers: decimal, 0x hex, 0b, 0o, '_' between digits.

    EXAMPLE: cmdqv decode 0x50080 0x01000003

    """

  static let trace = """
    USAGE: cmdqv trace show FILE
           cmdqv trace diff A B [--cycles] [--context N]

    show: renders a JSON Lines trace (cmdqv run --trace x.jsonl) as text.
    diff: reports the first divergence (sequence numbers ignored, runs of
    identical polls collapsed). Exit 0 equivalent, 1 different.

    OPTIONS (diff):
      --cycles                compare model cycles too
      --context N             records of context before the divergence (3)

    """

  static let step = """
    USAGE: cmdqv step [SCENARIO]

    Steps through SCENARIO (default: the built-in one). Reads commands from
    stdin (prompt 'cmdqv> ' on a terminal); after each, prints what changed
    as trace lines (register writes, state changes, commands, errors,
    faults, interrupts) or 'no change'. End of input quits.

    COMMANDS:
      next, n                 run the next scenario step
      step N                  run N clock cycles
      regs [PATTERN]          current register values (host reads)
      read OFFSET             host 32-bit read
      write OFFSET VALUE      host 32-bit write
      state                   the device's state
      continue, c             run the remaining steps and print the summary
      quit, q                 stop
      help                    this list

    EXIT STATUS: 0, or 1 when a scenario step failed.

    """
}
