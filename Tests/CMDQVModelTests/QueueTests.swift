import CMDQVRegisters
import Testing

@testable import CMDQVModel

@Suite struct QueueTests {
  @Test(arguments: [0, 1, 4, 8, 19])
  func fullEmptyAndWrap(log2Size: Int) {
    let d = CMDQVDevice(configuration: config(latency: 0, commandsPerCycle: 1))
    let base: UInt64 = 0x1_0000_0000
    let q = d.makeQueue(base: base, log2Size: log2Size)
    let entries = 1 << log2Size
    let wrapIndex: UInt32 = (1 << UInt32(log2Size + 1)) - 1
    #expect(d.vcmdq(q.global).pending == 0, "empty at start")
    // Fill completely (cap the big queue so the test stays quick: fill 2 entries then jump PROD).
    if log2Size <= 8 {
      q.submit(Array(repeating: SMMUCommand.tlbiNHASID(asid: 1), count: entries))
      #expect(q.prod == UInt32(entries), "PROD wrap bit set, index 0: full")
      #expect(d.vcmdq(q.global).pending == entries, "full is not empty")
      d.step(cycles: entries - 1)
      #expect(d.vcmdq(q.global).pending == 1)
      d.step()
      #expect(q.cons == UInt32(entries), "CONS caught up with the wrap bit set")
      #expect(d.vcmdq(q.global).pending == 0)
      d.step()
      #expect(d.executedCommands.count == entries, "an empty queue with equal wrap bits does not run")
      // Second lap wraps back to wrap bit 0.
      q.submit(Array(repeating: SMMUCommand.tlbiNHASID(asid: 2), count: entries))
      #expect(q.prod == 0)
      d.step(cycles: entries + 3)
      #expect(q.cons == 0 && d.executedCommands.count == 2 * entries)
    } else {
      // log2size 19: start near the end of the ring so the wrap happens quickly.
      let last = UInt32(entries - 1)
      d.write32(last, at: q.page0 + Off.cons)
      d.write32(last, at: q.page0 + Off.prod)
      q.submit([.tlbiNHASID(asid: 1), .tlbiNHASID(asid: 2), .sync()])
      #expect(q.prod == (UInt32(entries) | 2))
      d.step(cycles: 5)
      #expect(q.cons == (UInt32(entries) | 2))
      #expect(d.executedCommands.map(\.consIndex) == [last, 0, 1])
      _ = wrapIndex
    }
  }

  @Test func log2SizeIsClampedTo19() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(base: 0x4000_0000, log2Size: 19)
    d.write64(0x4000_0000 | 31, at: q.page0 + 0x10000)
    #expect(d.vcmdq(q.global).log2Size == 19)
  }

  @Test func roundRobinSharesTheBudget() {
    let d = CMDQVDevice(configuration: config(latency: 0, commandsPerCycle: 3))
    let a = d.makeQueue(vintf: 0, lidx: 0, base: 0x10_0000, log2Size: 4)
    let b = d.makeQueue(vintf: 0, lidx: 1, base: 0x20_0000, log2Size: 4)
    a.submit(Array(repeating: .tlbiNHASID(asid: 1), count: 6))
    b.submit(Array(repeating: .tlbiNHASID(asid: 2), count: 6))
    d.step()
    #expect(d.executedCommands.count == 3)
    d.step()
    #expect(d.executedCommands.count == 6)
    #expect(a.cons == 3 && b.cons == 3)
    d.step(cycles: 2)
    #expect(a.cons == 6 && b.cons == 6)
  }

  @Test func aQueueRunsOnlyWhenEveryPreconditionHolds() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue()
    #expect(d.vcmdq(q.global).running)
    d.write32(0x0002_0082, at: Off.config)  // CMDQV off
    q.submit([.tlbiNHASID(asid: 1)])
    d.step()
    #expect(q.cons == 0 && !d.vcmdq(q.global).running)
    d.write32(0x0002_0083, at: Off.config)
    d.write32(d.read32(at: Off.alloc(q.global)) & ~1, at: Off.alloc(q.global))  // unmapped
    d.step()
    #expect(q.cons == 0)
    d.write32(d.read32(at: Off.alloc(q.global)) | 1, at: Off.alloc(q.global))
    d.write32(1 << 17, at: Off.vintfConfig(0))  // VINTF off
    d.step()
    #expect(q.cons == 0)
    d.write32(1 << 17 | 1, at: Off.vintfConfig(0))
    d.step()
    #expect(q.cons == 1)
  }

  @Test func smmuMainQueueRunsOnTheSameEngine() {
    let d = CMDQVDevice(configuration: config(latency: 2))
    d.memory.backRange(base: 0x5000_0000, length: 0x1000)
    d.smmu.write64(0x5000_0000 | 6, at: SOff.cmdqBase)
    d.smmu.write32(1 << 3, at: SOff.cr0)
    for (i, c) in [SMMUCommand.cfgiSTE(streamID: 9), .tlbiNSNHAll(), .sync(cs: 1)].enumerated() {
      d.memory.storeCommand(c, at: 0x5000_0000 + 16 * UInt64(i))
    }
    d.smmu.write32(3, at: SOff.cmdqProd)
    d.step()
    #expect(d.smmu.read32(at: SOff.cmdqCons) == 0, "CR0ACK.CMDQEN not yet set")
    d.step(cycles: 2)
    #expect(d.smmu.read32(at: SOff.cmdqCons) == 3)
    #expect(d.executedCommands.map(\.source) == [.smmuCMDQ, .smmuCMDQ, .smmuCMDQ])
    #expect(d.executedCommands.first?.streamID == 9, "no SID replacement on the SMMU queue")
  }

  @Test func smmuQueueSizeIsCappedByIDR1() {
    var c = config(latency: 0)
    c.smmuCMDQS = 2
    let d = CMDQVDevice(configuration: c)
    d.smmu.write64(0x5000_0000 | 8, at: SOff.cmdqBase)
    #expect(d.smmuCMDQ.log2Size == 2)
  }
}
