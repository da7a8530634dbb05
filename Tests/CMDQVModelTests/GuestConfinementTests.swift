import CMDQVRegisters
import Testing

@testable import CMDQVModel

/// A guest-tagged access reaches only the page0 of its own VINTF (what the
/// VMM mmaps); anything else is an access fault naming the guest.
@Suite struct GuestConfinementTests {
  func lastFault(_ d: CMDQVDevice, sourceLocation: SourceLocation = #_sourceLocation) -> AccessFault? {
    let f = d.accessFaults.last
    #expect(f != nil, "no access fault", sourceLocation: sourceLocation)
    return f
  }

  @Test func ownPage0IsServed() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(vintf: 1, hypOwn: false)
    d.write32(3, at: q.page0 + Off.prod, from: .guest(vintf: 1))
    #expect(d.accessFaults.isEmpty)
    #expect(d.read32(at: q.page0 + Off.prod, from: .guest(vintf: 1)) == 3)
    // The last word and the last doubleword of page0 are still inside.
    _ = d.read32(at: Off.lpage0(1, 0) + 0xFFFC, from: .guest(vintf: 1))
    #expect(d.accessFaults.allSatisfy { $0.reason != .outsideGuestWindow })
  }

  @Test(arguments: [
    ("global CMDQV_CONFIG", Off.config),
    ("another VINTF's page0", Off.lpage0(0, 0) + Off.prod),
    ("own page1", Off.lpage1(1, 0)),
    ("global VCMDQ page0", Off.page0(2) + Off.prod),
    ("VINTF1_CONFIG", Off.vintfConfig(1)),
    ("just past own page0", Off.lpage0(1, 0) + 0x10000),
    ("just before own page0", Off.lpage0(1, 0) - 4),
  ])
  func writeOutsideOwnPage0IsAnAccessFault(_ what: String, _ offset: Int) {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let before = d.read32(at: offset)
    d.write32(0xFFFF_FFFF, at: offset, from: .guest(vintf: 1))
    let f = lastFault(d)
    #expect(f?.reason == .outsideGuestWindow, "\(what)")
    #expect(f?.initiator == .guest(vintf: 1))
    #expect(f?.offset == offset && f?.direction == .write && f?.value == 0xFFFF_FFFF)
    #expect(f?.description.contains("guest(VINTF1)") == true)
    #expect(d.read32(at: offset) == before, "\(what) changed")
  }

  @Test func readOutsideReadsZeroAndFaults() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    #expect(d.read32(at: Off.param) != 0)
    #expect(d.read32(at: Off.param, from: .guest(vintf: 0)) == 0)
    #expect(lastFault(d)?.reason == .outsideGuestWindow)
    #expect(d.read64(at: Off.lpage0(0, 0) + 0xFFFC, from: .guest(vintf: 0)) == 0, "straddles the end of page0")
    #expect(lastFault(d)?.reason == .outsideGuestWindow)
  }

  @Test func smmuAndImpossibleVINTFsAreOutside() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    d.smmu.write32(8, at: SOff.cr0, from: .guest(vintf: 0))
    #expect(lastFault(d)?.reason == .outsideGuestWindow)
    #expect(d.smmu.read32(at: SOff.cr0) == 0)
    for v in [-1, 64, Int.max] {
      d.write32(1, at: Off.lpage0(0, 0), from: .guest(vintf: v))
      #expect(lastFault(d)?.reason == .outsideGuestWindow, "VINTF \(v)")
    }
  }

  @Test func hostAccessesAreNotConfined() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    d.write32(1, at: Off.vintfConfig(1))
    d.write32(1, at: Off.vintfConfig(1), from: .hardware)
    #expect(d.accessFaults.isEmpty)
  }
}
