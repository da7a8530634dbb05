import CMDQVRegisters
import Testing

@testable import CMDQVModel

@Suite struct MemoryTests {
  @Test func sparseLittleEndianPages() {
    let m = PhysicalMemoryModel()
    #expect(m.readBytes(at: 0x1000, count: 1) == nil)
    #expect(!m.writeBytes([1], at: 0x1000))
    m.backRange(base: 0x1FFC, length: 8)  // straddles two pages
    #expect(m.backedPageCount == 2)
    #expect(m.write64(0x0807_0605_0403_0201, at: 0x1FFC))
    #expect(m.readBytes(at: 0x1FFC, count: 8) == [1, 2, 3, 4, 5, 6, 7, 8])
    #expect(m.load64(at: 0x1FFC) == 0x0807_0605_0403_0201)
    #expect(m.read64(at: 0x1FFC) == 0x0807_0605_0403_0201)
    #expect(m.readBytes(at: 0x2FFC, count: 8) == nil, "partly unbacked fails as a whole")
    #expect(!m.writeBytes([1, 2, 3, 4, 5, 6, 7, 8], at: 0x2FFC))
    m.backRange(base: 0x1000, length: 1)
    #expect(m.load64(at: 0x1FFC) == 0x0807_0605_0403_0201, "re-backing keeps contents")
    m.unback(base: 0x2000, length: 0x1000)
    #expect(m.load64(at: 0x1FFC) == nil)
    #expect(m.load64(at: 0x1FF0) == 0)
    m.backRange(base: 0x2000, length: 0x10)
    #expect(m.load64(at: 0x2000) == 0, "a re-backed page is zero-filled")
  }

  @Test func commandsRoundTrip() {
    let m = PhysicalMemoryModel()
    #expect(!m.storeCommand(.sync(), at: 0))
    m.backRange(base: 0, length: 0x1000)
    let c = SMMUCommand.atcInv(streamID: 0x42, substreamID: 3, address: 0x5000, size: 2)
    #expect(m.storeCommand(c, at: 0x10))
    #expect(m.loadCommand(at: 0x10) == c)
    #expect(SMMUCommand(bytes: m.readBytes(at: 0x10, count: 16)!) == c)
  }
}

@Suite struct EventTests {
  @Test func everyKindOfEventReachesTheSinkInSequence() throws {
    let d = CMDQVDevice(configuration: config(latency: 1))
    let r = EventRecorder()
    var viaClosure = 0
    d.eventSink = r
    d.onEvent = { _ in viaClosure += 1 }
    let q = d.makeQueue(vintf: 1, hypOwn: false)
    d.write32(0x99, at: Off.sidReplace(1, 0))
    d.write32(0x5 << 1 | 1, at: Off.sidMatch(1, 0))
    q.submit([.atcInv(streamID: 5), .raw(opcode: 0x7F)], from: .guest(vintf: 1))
    d.step()
    _ = d.read32(at: 0xC)
    d.write32(d.read32(at: Off.alloc(5)) | 1, at: Off.alloc(5))
    try d.injectFetchAbort(0..<1)
    d.note("done")
    let kinds = Set(r.events.map(\.kind))
    for k in ["mmio_r", "mmio_w", "cmd", "cmd_err", "state", "fault", "violation", "irq", "inject", "note"] {
      #expect(kinds.contains(k), "no \(k) event")
    }
    #expect(viaClosure == r.events.count)
    #expect(r.events.contains { e in
      if case .stateChange(let c) = e.payload { return c.entity == "VCMDQ\(q.global)" && c.property == "running" && c.new == 1 }
      return false
    })
    #expect(zip(r.events, r.events.dropFirst()).allSatisfy { $0.sequence < $1.sequence && $0.cycle <= $1.cycle })
    #expect(r.events.first?.sequence == 1)
    // MMIO records name the register and the global VCMDQ a logical page reached.
    let prodWrite = r.events.compactMap { e -> MMIOAccess? in
      if case .mmio(let a) = e.payload, a.direction == .write, a.initiator == .guest(vintf: 1) { return a }
      return nil
    }.last!
    #expect(prodWrite.register?.name == "VCMDQ_VINTF1_LVCMDQ0_PROD" || prodWrite.register?.info.name == "PROD")
    #expect(prodWrite.resolvedVCMDQ == q.global)
    #expect(prodWrite.old == 0 && prodWrite.new == 2)
    let cmd = r.events.compactMap { e -> ExecutedCommand? in
      if case .command(let c) = e.payload { return c }
      return nil
    }
    #expect(cmd.first?.streamID == 0x99 && cmd.first?.virtualStreamID == 5)
  }

  @Test func noSinkNoEventsButLogsStillKept() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue()
    q.submit([.raw(opcode: 0)])
    d.step()
    _ = d.read32(at: 0xC)
    #expect(d.commandErrors.count == 1 && d.accessFaults.count == 1 && d.interruptCount == 1)
    d.clearFaults()
    #expect(d.faults.isEmpty && d.accessFaults.isEmpty)
  }

  @Test func descriptions() {
    let d = CMDQVDevice(configuration: config(latency: 0))
    let q = d.makeQueue(vintf: 1, lidx: 1, hypOwn: false, vmid: 4, log2Size: 4)
    d.write32(0x10 << 1 | 1, at: Off.sidMatch(1, 0))
    d.write32(0x20, at: Off.sidReplace(1, 0))
    q.submit(Array(repeating: .tlbiNHASID(asid: 1), count: 17 - 1) + [])
    d.step(cycles: 100)
    q.submit([.raw(opcode: 0x7F)])
    d.step()
    let text = d.description
    #expect(text.contains("VINTF1 enabled guest-owned VMID=4"))
    #expect(text.contains("SIDs[0x10->0x20]"))
    let s = d.vcmdq(q.global).description
    #expect(s.contains("VCMDQ3 (VINTF1/VCMDQ3/LVCMDQ1) enabled allocated running"))
    #expect(s.contains("PROD=1/w1 CONS=0/w1 ERR=1 error pending"), "\(s)")
    #expect(d.smmu.description.contains("SMMU"))
    #expect(d.vintf(1).lvcmdqs[1] == 3)
  }
}
