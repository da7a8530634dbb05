import CMDQVCLI
import Testing

@Suite struct RegisterCommandTests {
  @Test func decodeNamesALogicalPageAliasAndItsFields() {
    let r = cmdqv("decode", "0x50080", "0x0100_0003")
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("0x50080: VINTF1_LVCMDQ1_CONS (tegra241_cmdqv, block VINTF_LVCMDQ_PAGE0, aperture vintf_page0, alias of VCMDQ_PAGE0)\n"))
    #expect(r.stdout.contains("[19:0]   RD=0x3"))
    #expect(r.stdout.contains("[30:24]  ERR=0x1(ILL)"))
  }

  @Test func decodeUpperHalfAndSMMUMap() {
    let hi = cmdqv("decode", "0x20004", "1")
    #expect(hi.stdout.contains("0x20004: VCMDQ0_BASE[63:32]"))
    #expect(hi.stdout.contains("ADDR=0x8000000"))
    let smmu = cmdqv("decode", "--map", "smmuv3", "0x20", "8")
    #expect(smmu.status == 0)
    #expect(smmu.stdout.contains("SMMU_CR0"))
    #expect(smmu.stdout.contains("CMDQEN=1"))
    let noValue = cmdqv("decode", "4")
    #expect(noValue.stdout.contains("CMDQV_PARAM"))
    #expect(noValue.stdout.contains("NUM_VINTF_LOG2"))
  }

  @Test func regsDefaultsToTheDefaultDeviceAndGlobs() {
    let r = cmdqv("regs", "vintf1_lvcmdq?_cons")
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.first?.hasPrefix("NAME") == true)
    #expect(lines.dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["VINTF1_LVCMDQ0_CONS", "VINTF1_LVCMDQ1_CONS"])
    #expect(r.stdout.contains("VINTF1_LVCMDQ1_CONS  0x50080  32     0x0    rw/ro   RD[19:0] ERR[30:24]\n"))
    // Default: 4 VINTFs; --all: the architectural 64.
    #expect(cmdqv("regs", "VINTF4_CONFIG").status == 1)
    let all = cmdqv("regs", "--all", "VINTF63_CONFIG")
    #expect(all.status == 0)
    #expect(all.stdout.contains("VINTF63_CONFIG"))
    let sub = cmdqv("regs", "cmdq_alloc")
    #expect(sub.stdout.split(separator: "\n").count == 1 + 8)
  }

  @Test func helpForEverySubcommand() {
    for args in [["--help"], ["-h"], ["help"], ["help", "run"], ["run", "--help"], ["regs", "-h"], ["decode", "--help"],
                 ["trace", "--help"], ["step", "--help"], ["--version"]] {
      let r = cmdqv(arguments: args)
      #expect(r.status == 0, "\(args)")
      #expect(!r.stdout.isEmpty && r.stderr.isEmpty, "\(args)")
    }
    #expect(cmdqv("--help").stdout.contains("USAGE: cmdqv"))
    #expect(cmdqv("decode", "--help").stdout.contains("USAGE: cmdqv decode OFFSET [VALUE]"))
  }
}
