import CMDQVRegisters
import Testing

@testable import CMDQVModel

@Suite struct OrderingTests {
  func map(_ d: CMDQVDevice, _ q: Int, _ on: Bool) {
    let v = d.read32(at: Off.alloc(q))
    d.write32(on ? v | 1 : v & ~1, at: Off.alloc(q))
  }

  @Test func correctSequenceHasNoFault() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    d.assignStatically()
    for q in 0..<8 { map(d, q, true) }  // ascending per VINTF
    for q in (0..<8).reversed() { map(d, q, false) }  // descending
    #expect(d.orderingFaults.isEmpty && d.faults.isEmpty)
  }

  @Test func mappingAboveAnUnmappedQueueIsAFault() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    d.assignStatically()
    map(d, 3, true)  // VINTF1 LVCMDQ1 while LVCMDQ0 (VCMDQ2) is unmapped
    #expect(d.orderingFaults.count == 1)
    let f = d.orderingFaults[0]
    #expect(f.kind == .mapAboveUnmapped && f.vintf == 1 && f.lvcmdq == 1 && f.neighbour == 0 && f.vcmdq == 3)
    #expect(d.read32(at: Off.alloc(3)) & 1 == 1, "the write still takes effect")
    #expect(Array(d.faults) == [.ordering(f)])
  }

  @Test func unmappingBelowAMappedQueueIsAFault() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    d.assignStatically()
    map(d, 0, true)
    map(d, 1, true)
    map(d, 0, false)
    #expect(d.orderingFaults.map(\.kind) == [.unmapBelowMapped])
    #expect(d.orderingFaults.first?.neighbour == 1)
    #expect(d.orderingFaults.first?.description.contains("descending") == true)
  }

  @Test func ignorePolicyRecordsNothing() {
    let d = CMDQVDevice(configuration: config(latency: 0, ordering: .ignore))
    d.assignStatically()
    map(d, 1, true)
    #expect(d.orderingFaults.isEmpty)
  }

  @Test func trapPolicyStopsAtTheOffendingWrite() async {
    await #expect(processExitsWith: .failure) {
      let d = CMDQVDevice(configuration: config(latency: 0, ordering: .trap))
      d.assignStatically()
      d.write32(d.read32(at: Off.alloc(1)) | 1, at: Off.alloc(1))
    }
  }

  @Test func trapPolicyAllowsACorrectSequence() {
    let d = CMDQVDevice(configuration: config(latency: 0, ordering: .trap))
    d.assignStatically()
    map(d, 0, true)
    map(d, 1, true)
    map(d, 1, false)
    map(d, 0, false)
  }
}

@Suite struct ConfigurationTests {
  @Test func presets() {
    let g = CMDQVConfiguration.qemuGuest
    #expect(g.numVINTFs == 1 && g.numVCMDQs == 2 && g.numSIDsPerVINTF == 16 && g.version == 1)
    let d = CMDQVConfiguration.default
    #expect(d.numVINTFs == 4 && d.numVCMDQs == 8 && d.numLVCMDQsPerVINTF == 2 && d.numSIDsPerVINTF == 16)
    #expect(d.paramValue == 0x4231)
  }

  @Test func fewerVCMDQsThanVINTFsIsRejected() async {
    await #expect(processExitsWith: .failure) {
      _ = CMDQVDevice(configuration: CMDQVConfiguration(log2VINTFs: 3, log2VCMDQs: 2))
    }
  }

  @Test func negativeLatencyIsRejected() async {
    await #expect(processExitsWith: .failure) {
      _ = CMDQVDevice(configuration: CMDQVConfiguration(vcmdqLatency: .cycles(-1)))
    }
  }
}
