import CMDQVRegisters
import Testing

@testable import CMDQVModel

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
