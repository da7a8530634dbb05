import CMDQVRegisters
import Testing

@testable import CMDQVModel

/// One million seeded random MMIO accesses over the whole aperture: any
/// width, any offset (misaligned too), any value. The device must never
/// crash, and a write may only change the register written and its
/// documented side effects (Docs/HardwareModel.md "Side effects of a write").
@Suite struct RandomAccessTests {
  /// Every in-configuration register word at its global (canonical) offset.
  static func registerWords(_ c: CMDQVConfiguration) -> [Int] {
    var words: [Int] = []
    for instance in Tegra241CMDQVMap.layout.allInstances() {
      let idx = instance.indices
      switch instance.block {
      case "VINTF":
        guard idx[0] < c.numVINTFs, instance.info.count != 16 || instance.index < c.numSIDsPerVINTF else { continue }
      case "VCMDQ_PAGE0", "VCMDQ_PAGE1": guard idx[0] < c.numVCMDQs else { continue }
      case "VINTF_LVCMDQ_PAGE0", "VINTF_LVCMDQ_PAGE1": continue  // aliases
      default: guard instance.info.name != "CMDQ_ALLOC" || instance.index < c.numVCMDQs else { continue }
      }
      words.append(instance.offset)
      if instance.info.width == 64 { words.append(instance.offset + 4) }
    }
    return words
  }

  /// Whether a write decoded as `w` may change the word at canonical `word`.
  static func mayChange(_ d: CMDQVDevice, written w: DecodedAccess, word: Int) -> Bool {
    let writtenWord = d.canonicalOffset(w)
    if word == writtenWord || (w.kind.width == 64 && word == writtenWord + 4) { return true }
    let derived =
      (word >= 0x14 && word < 0x34)  // VI_ERR_MAP, VI_INT_MASK (never changes), CMDQ_ERR_MAP
      || (word >= 0x1000 && word < 0x5000 && (word & 0xFF == 0x04 || word & 0xF0 == 0xC0))  // VINTF STATUS, LVCMDQ_ERR_MAP
    switch w.kind {
    case .cmdqAlloc, .vintfConfig, .cmdqvConfig: return derived
    case .gerrorn: return derived || word == 0x10000 + 0x80 * w.index  // CONS.ERR clears on ack
    case .vcmdqConfig:
      // Latency 0 would complete at once; CMDQ_INIT_ERR rolls up.
      return derived || word == 0x10000 + 0x80 * w.index + 0xC || word == 0x10000 + 0x80 * w.index + 0x10
    default: return false
    }
  }

  @Test func oneMillionRandomAccessesKeepTheInvariants() {
    var rng = SplitMix64(seed: 0xC0FFEE)
    var c = CMDQVConfiguration.default
    c.vcmdqLatency = .cycles(0)  // exercise immediate side effects too
    let d = CMDQVDevice(configuration: c)
    d.memory.backRange(base: 0x8000_0000, length: 0x10_0000)
    let words = Self.registerWords(c)
    let param = d.read32(at: 0x4)
    let maxLatency = 8
    var writes = 0
    var sample: [(Int, UInt32)] = []
    for i in 0..<1_000_000 {
      let r = rng.next()
      let width = [8, 16, 32, 64][Int(r & 3)]
      let isWrite = r >> 2 & 1 == 1
      let value: UInt64 = r >> 3 & 1 == 1 ? rng.next() : rng.next() & 0xFF
      let offset: Int
      switch r >> 4 & 7 {
      case 0, 1, 2: offset = words[Int(rng.next() % UInt64(words.count))] + (r >> 7 & 7 == 0 ? Int(r >> 10 & 7) : 0)
      case 3:
        offset = 0x30000 + 0x20000 * Int(r >> 10 % 5) + (r >> 13 & 1 == 1 ? 0x10000 : 0) + 0x80 * Int(r >> 14 & 3) + Int(r >> 16 & 0x1F)
      case 4:
        let smmuOffset = Int(rng.next() % 0xA0)
        if isWrite { d.smmu.write(value, at: smmuOffset, width: width) } else { _ = d.smmu.read(at: smmuOffset, width: width) }
        continue
      default: offset = Int(truncatingIfNeeded: rng.next() % 0x90_0000) - 0x1000
      }
      if !isWrite {
        _ = d.read(at: offset, width: width)
        continue
      }
      writes += 1
      let full = i % 10_000 == 0
      sample.removeAll(keepingCapacity: true)
      if full {
        for w in words { sample.append((w, d.read32(at: w))) }
      } else {
        for _ in 0..<3 {
          let w = words[Int(rng.next() % UInt64(words.count))]
          sample.append((w, d.read32(at: w)))
        }
      }
      let decoded = d.check(offset, width: width, smmuAperture: false)
      d.write(value, at: offset, width: width)
      for (w, before) in sample {
        let after = d.read32(at: w)
        if after != before && (decoded.fault != nil || !Self.mayChange(d, written: decoded, word: w)) {
          Issue.record(
            "access \(i): write\(width) 0x\(String(value, radix: 16)) @0x\(String(offset, radix: 16)) changed 0x\(String(w, radix: 16)): 0x\(String(before, radix: 16)) -> 0x\(String(after, radix: 16))")
          return
        }
      }
      if i & 63 == 0 { d.step(cycles: Int(r >> 20 & 3)) }
      if full {
        #expect(d.read32(at: 0x4) == param, "PARAM is read-only")
        // STATUS follows CONFIG once every latency has elapsed.
        d.step(cycles: maxLatency)
        #expect(d.read32(at: 0x8) & 1 == d.read32(at: 0x0) & 1, "CMDQV STATUS follows CONFIG")
        for v in 0..<c.numVINTFs {
          #expect(d.read32(at: Off.vintfStatus(v)) & 1 == d.read32(at: Off.vintfConfig(v)) & 1, "VINTF\(v)")
        }
        for q in 0..<c.numVCMDQs where d.read32(at: Off.page0(q) + Off.qstatus) & 1 == 1 {
          #expect(d.read32(at: Off.page0(q) + Off.qconfig) & 1 == 1, "VCMDQ\(q) enabled only while CONFIG says so")
        }
        d.clearFaults()
        d.clearExecutedCommands()
      }
    }
    #expect(writes > 300_000)
  }
}

@Suite struct DeterminismTests {
  /// Two devices fed the same seeded accesses and steps produce identical
  /// event streams (sequence, cycle and payload) and identical logs.
  @Test func sameInputsSameEvents() {
    func run() -> ([HardwareEvent], [ExecutedCommand], String) {
      let d = CMDQVDevice(configuration: .qemuGuest)
      let r = EventRecorder()
      d.eventSink = r
      var rng = SplitMix64(seed: 42)
      let q = d.makeQueue(vintf: 0, lidx: 0, hypOwn: false, vmid: 9, log2Size: 6)
      d.write32(0x77, at: Off.sidReplace(0, 0))
      d.write32(0x5 << 1 | 1, at: Off.sidMatch(0, 0))
      for i in 0..<20_000 {
        let x = rng.next()
        switch x % 5 {
        case 0:
          let ops: [SMMUCommand] = [.atcInv(streamID: UInt32(x >> 8 & 7)), .tlbiNHASID(asid: 1), .sync(), .raw(opcode: 0x7F)]
          q.submit([ops[Int(x >> 16 % 4)]], from: .guest(vintf: 0))
        case 1: d.write32(d.read32(at: q.page0 + Off.gerror), at: q.page0 + Off.gerrorn)
        case 2: d.write(x >> 8, at: Int(x >> 20 % 0x60000), width: [8, 16, 32, 64][i & 3])
        default: d.step(cycles: Int(x >> 32 & 3))
        }
      }
      return (r.events, d.executedCommands, d.description)
    }
    let a = run(), b = run()
    #expect(a.0.count > 10_000)
    #expect(a.0 == b.0)
    #expect(a.1 == b.1)
    #expect(a.2 == b.2)
  }
}
