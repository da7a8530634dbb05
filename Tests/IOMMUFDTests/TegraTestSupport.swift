import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// Collects the register writes the device saw, as `NAME=value`.
final class WriteLog {
  var writes: [(name: String, value: UInt64, initiator: Initiator)] = []
  init(_ device: CMDQVDevice) {
    device.onEvent = { [unowned self] event in
      if case .mmio(let a) = event.payload, a.direction == .write {
        writes.append((a.register?.accessName ?? "0x\(String(a.offset, radix: 16))", a.value, a.initiator))
      }
    }
  }
  var names: [String] { writes.map(\.name) }
  func clear() { writes.removeAll() }
}

/// Expects `expected` to appear in order within `actual` (other entries may
/// sit between); reports where matching stopped.
func expectSubsequence(
  _ expected: [String], in actual: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
  var i = 0
  for name in actual where i < expected.count && name == expected[i] { i += 1 }
  #expect(
    i == expected.count,
    "expected write \(i < expected.count ? expected[i] : "") (#\(i)) not found in order; actual:\n\(actual.joined(separator: "\n"))",
    sourceLocation: sourceLocation)
}

extension WriteLog {
  /// Writes as `NAME=0xVALUE`, keeping only CMDQV registers and the SMMU main
  /// queue's PROD (the flush CMD_SYNC), which is what the kernel sequences
  /// of tegra241-cmdqv.c are about.
  var cmdqvWrites: [String] {
    writes.filter { !$0.name.hasPrefix("SMMU_") || $0.name == "SMMU_CMDQ_PROD" }
      .map { $0.name == "SMMU_CMDQ_PROD" ? $0.name : "\($0.name)=0x\(String($0.value, radix: 16))" }
  }
}

/// What a VMM has before IOMMU_VIOMMU_ALLOC: an IOAS with guest RAM mapped,
/// a bound device and a nest-parent HWPT.
struct VMPrep {
  let ioas: UInt32
  let device: UInt32
  let hwpt: UInt32

  init(_ system: CMDQVSystem, streamID: UInt32, layout: GuestLayout = GuestLayout(), nestParent: Bool = true) throws {
    let ctx = system.context
    system.device.memory.backRange(base: layout.ramPA, length: layout.ramSize)
    ioas = try ctx.allocIOAS()
    try ctx.ioasMap(ioas: ioas, iova: layout.ramIPA, length: layout.ramSize, physicalAddress: layout.ramPA)
    device = try ctx.bindDevice(streamIDs: [streamID])
    hwpt = try ctx.allocHWPT(device: device, ioas: ioas, nestParent: nestParent)
  }

  func allocVIOMMU(
    _ system: CMDQVSystem, type: UInt32 = Tegra241IOMMUDriver.viommuTypeTegra241CMDQV,
    data: [UInt8] = [UInt8](repeating: 0, count: 16), flags: UInt32 = 0
  ) throws(Errno) -> VIOMMUAllocation {
    try system.context.allocVIOMMU(device: device, hwpt: hwpt, type: type, data: data, flags: flags)
  }
}

/// `CMDQ_ALLOC(q).ALLOC` bits of every global VCMDQ, read through the model.
func allocatedVCMDQs(_ system: CMDQVSystem) -> [Int] {
  (0..<system.cmdqv.numVCMDQs).filter { system.device.read32(at: 0x200 + 4 * $0) & 1 == 1 }
}

/// Enabled SID_MATCH slots of VINTF `v` as (slot, vSID, pSID).
func programmedSIDs(_ system: CMDQVSystem, vintf v: Int) -> [(slot: Int, vsid: UInt32, psid: UInt32)] {
  (0..<system.cmdqv.numSIDsPerVINTF).compactMap { s in
    let match = system.device.read32(at: 0x1000 + 0x100 * v + 0x40 + 4 * s)
    let replace = system.device.read32(at: 0x1000 + 0x100 * v + 0x80 + 4 * s)
    return match & 1 == 1 ? (s, match >> 1, replace) : nil
  }
}

/// The guest-visible error state of a queue: GERROR ≠ GERRORN.
func errorPending(_ system: CMDQVSystem, vcmdq q: Int) -> Bool { system.device.vcmdq(q).errorPending }
