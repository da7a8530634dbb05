import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
@testable import IOMMUFD
import Testing

/// Absolute CMDQV offsets for the rule tests (the kernel's macros).
enum Reg {
  static let cmdqvConfig = 0x0, cmdqvStatus = 0x8
  static func alloc(_ q: Int) -> Int { 0x200 + 4 * q }
  static func vintfConfig(_ v: Int) -> Int { 0x1000 + 0x100 * v }
  static func vintfStatus(_ v: Int) -> Int { vintfConfig(v) + 4 }
  static func sidMatch(_ v: Int, _ s: Int) -> Int { vintfConfig(v) + 0x40 + 4 * s }
  static func sidReplace(_ v: Int, _ s: Int) -> Int { vintfConfig(v) + 0x80 + 4 * s }
  /// VINTFi_LVCMDQ_PAGE0(v, l) + register offset.
  static func page0(_ v: Int, _ l: Int, _ r: Int) -> Int { 0x30000 + 0x20000 * v + 0x80 * l + r }
  static func page1(_ v: Int, _ l: Int, _ r: Int) -> Int { page0(v, l, r) + 0x10000 }
  static let cons = 0x0, prod = 0x4, config = 0x8, status = 0xC, gerror = 0x10, gerrorn = 0x14
  static let base = 0x0, consIndexBase = 0x8
  // SMMU aperture.
  static let smmuCR0 = 0x20, smmuGErrorN = 0x64, smmuCMDQBase = 0x90, smmuCMDQCons = 0x9C
}

extension CMDQVSystem {
  /// Checks that exactly one violation was recorded, of `rule`, by an MMIO
  /// write at `offset` (the offending access), then forgets it.
  @discardableResult
  func expectFired(
    _ rule: RuleID, atOffset offset: Int, map: String = Tegra241CMDQVMap.name,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> RuleViolation? {
    let fired = expectViolation(rule, count: 1, sourceLocation: sourceLocation)
    guard let v = fired.first else { return nil }
    guard case .mmioWrite(let m, let o, _, _, _) = v.access, m == map, o == offset else {
      Issue.record("\(rule.rawValue) fired at \(v.accessDescription), expected a write at 0x\(String(offset, radix: 16))", sourceLocation: sourceLocation)
      return v
    }
    #expect(v.cycle == device.cycle, "reported at the cycle of the access", sourceLocation: sourceLocation)
    return v
  }

  /// Steps until `condition` holds (at most 1000 cycles), like a poll.
  func settle(until condition: (CMDQVDevice) -> Bool) {
    let reached = device.run(until: condition, maxCycles: 1000)
    #expect(reached, "the hardware never got there")
  }

  /// VINTF0 reset by the kernel's own tegra241_vintf_hw_deinit: every
  /// LVCMDQ deinitialised and unmapped, the VINTF disabled. No violation.
  func resetVINTF0() throws {
    let vintf0 = try #require(cmdqv.vintf0)
    cmdqv.vintfHWDeinit(vintf0)
    expectNoViolations()
  }
}
