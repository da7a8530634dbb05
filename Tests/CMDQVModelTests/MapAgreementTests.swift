import CMDQVRegisters
import Testing

@testable import CMDQVModel

@Suite struct MapAgreementTests {
  @Test(arguments: RegisterKind.allCases)
  func privateMasksMatchGeneratedMap(kind: RegisterKind) {
    let info = kind.info
    #expect(
      kind.privateWritableMask == info.writableMask,
      "\(kind): private 0x\(String(kind.privateWritableMask, radix: 16)) generated 0x\(String(info.writableMask, radix: 16)) w1c 0x\(String(info.w1cMask, radix: 16)) reset 0x\(String(info.reset, radix: 16))")
    #expect(kind.width == info.width, "\(kind) width")
    #expect(kind.allows64 == info.accessWidths.contains(64), "\(kind) 64-bit access")
    #expect(info.w1cMask == 0, "\(kind) has W1C bits")
  }
}

@Suite struct OffsetAgreementTests {
  /// Every register instance of the generated map inside the configuration
  /// decodes, by the model's arithmetic, to the same register and indices.
  @Test func privateOffsetsMatchGeneratedLayout() {
    let device = CMDQVDevice(configuration: .default)
    device.assignStatically()
    let c = device.configuration
    var checked = 0
    for instance in Tegra241CMDQVMap.layout.allInstances() {
      let idx = instance.indices
      var inConfig = true
      switch instance.block {
      case "VINTF": inConfig = idx[0] < c.numVINTFs && (instance.info.count != 16 || instance.index < c.numSIDsPerVINTF)
      case "VCMDQ_PAGE0", "VCMDQ_PAGE1": inConfig = idx[0] < c.numVCMDQs
      case "VINTF_LVCMDQ_PAGE0", "VINTF_LVCMDQ_PAGE1": inConfig = idx[0] < c.numVINTFs && idx[1] < c.numLVCMDQsPerVINTF
      case "CMDQV": inConfig = instance.info.name != CMDQAlloc.info.name || instance.index < c.numVCMDQs
      default: break
      }
      for half in instance.info.width == 64 ? [0, 4] : [0] {
        let d = device.decode(instance.offset + half)
        if !inConfig {
          #expect(d.fault != nil, "\(instance.name) is outside the configuration but decodes")
          continue
        }
        guard d.fault == nil else {
          Issue.record("\(instance.name) @0x\(String(instance.offset, radix: 16)) does not decode: \(d.fault!)")
          continue
        }
        #expect(d.kind.info == instance.info, "\(instance.name) decodes to \(d.kind)")
        #expect(d.half == half)
        switch instance.block {
        case "VINTF": #expect(d.index == idx[0] && (instance.info.count == 1 || d.sub == instance.index), "\(instance.name)")
        case "VCMDQ_PAGE0", "VCMDQ_PAGE1": #expect(d.index == idx[0])
        case "VINTF_LVCMDQ_PAGE0", "VINTF_LVCMDQ_PAGE1":
          #expect(d.index == idx[0] * c.numLVCMDQsPerVINTF + idx[1] && d.logical, "\(instance.name)")
        default: #expect(instance.info.count == 1 || d.index == instance.index, "\(instance.name)")
        }
        #expect(device.canonicalOffset(d) + half == instance.offset + half || d.logical)
        checked += 1
      }
    }
    #expect(checked > 300)
  }

  /// Offsets the generated map does not decode are unmapped (or absent) for the model too.
  @Test func gapsAgree() {
    let device = CMDQVDevice(configuration: .default)
    device.assignStatically()
    var rng = SplitMix64(seed: 7)
    for _ in 0..<20_000 {
      let offset = Int(rng.next() % 0x0C0000) & ~3
      if Tegra241CMDQVMap.layout.decode(offset: offset) == nil {
        #expect(device.decode(offset).fault != nil, "0x\(String(offset, radix: 16)) decodes in the model only")
      }
    }
  }

  @Test func smmuOffsetsMatchGeneratedLayout() {
    let device = CMDQVDevice(configuration: .default)
    for instance in SMMUv3Map.layout.allInstances() {
      let d = device.decodeSMMU(instance.offset)
      #expect(d.fault == nil && d.kind.info == instance.info, "\(instance.name)")
    }
    for offset in stride(from: 0, to: 0x200, by: 4) where SMMUv3Map.layout.decode(offset: offset) == nil {
      #expect(device.decodeSMMU(offset).fault != nil, "SMMU 0x\(String(offset, radix: 16))")
    }
  }
}

/// SplitMix64: a tiny seeded generator so random tests replay exactly.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
