import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import IOMMUFD
import Testing

/// Seeded random VMM flows over one booted CMDQVSystem (several VMs, up to
/// the VINTF limit), checking after every step that the hardware state the
/// driver left behind matches the live iommufd objects, and that the driver
/// never breaks the LVCMDQ map/unmap ordering rule.
@Suite struct TegraPropertyTests {
  static let operations = 10_000

  /// One VM's VMM state. Guest RAM: 64 KiB at IPA 0x8000_0000, backed at a
  /// per-slot PA; LVCMDQ `l` sits at IPA + 0x1000 * l.
  final class VM {
    let slot: Int
    let ioas: UInt32
    let device: UInt32
    let hwpt: UInt32
    let ramPA: UInt64
    var ramMapped = true
    var deviceBound = true
    var viommu: VIOMMUAllocation?
    var mapping: MMapping?
    var window: MMIOWindow?
    var vintf = 0
    var vdevice: (id: UInt32, vsid: UInt64)?
    var veventq: UInt32?
    /// HW queue ID and the guest's driver, by LVCMDQ index.
    var queues: [Int: (id: UInt32, guest: GuestLVCMDQ, enabled: Bool)] = [:]

    init(slot: Int, ioas: UInt32, device: UInt32, hwpt: UInt32, ramPA: UInt64) {
      self.slot = slot
      self.ioas = ioas
      self.device = device
      self.hwpt = hwpt
      self.ramPA = ramPA
    }
  }

  static let ramIPA: UInt64 = 0x8000_0000
  static let ramSize: UInt64 = 0x1_0000

  @Test(arguments: [UInt64(0x7E6A), 0xCAFE_F00D, 20_261_122])
  func randomFlowsKeepHardwareAndObjectsInAgreement(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let system = try CMDQVSystem()
    system.device.recordsExecutedCommands = false
    let ctx = system.context
    let cmdqv = system.cmdqv
    let n = cmdqv.numLVCMDQsPerVINTF
    var vms: [VM?] = Array(repeating: nil, count: 5)
    var nextSID: UInt32 = 0x100
    var opCounts = [Int](repeating: 0, count: 20)
    var closes = 0
    var stats: [String: Int] = [:]
    func count(_ key: String) { stats[key, default: 0] += 1 }

    func chance(_ oneIn: UInt64) -> Bool { rng.next() % oneIn == 0 }
    func pickVM() -> VM? {
      let live = vms.compactMap { $0 }
      return live.isEmpty ? nil : live[Int(rng.next() % UInt64(live.count))]
    }
    func forget(_ vm: VM) { vms[vm.slot] = nil }

    func expectErr(_ expected: Errno, _ step: Int, _ body: () throws -> Void) {
      do {
        try body()
        Issue.record("step \(step): expected \(expected.name), got success")
      } catch let e as Errno {
        #expect(e == expected, "step \(step): expected \(expected.name), got \(e)")
      } catch { Issue.record("step \(step): \(error)") }
    }

    func checkInvariants(_ step: Int) {
      // Ordering rule never broken by the driver.
      #expect(system.device.violations.isEmpty, "step \(step): \(system.device.violations)")
      // Every pinned page belongs to a live HW queue.
      for pin in ctx.pinnedPages {
        guard let owner = pin.access.owner as? HWQueue, ctx.object(owner.id) === owner else {
          Issue.record("step \(step): pinned page 0x\(String(pin.iova, radix: 16)) has no live HW queue owner")
          continue
        }
      }
      // CMDQ_ALLOC.ALLOC ↔ VINTF0's kernel queues + live HW queues.
      var expectedAlloc = Set(0..<n)
      for q in ctx.objects(of: HWQueue.self) {
        guard let vcmdq = q.driverData as? Tegra241VCMDQ else {
          Issue.record("step \(step): HW queue \(q.id) has no VCMDQ")
          continue
        }
        expectedAlloc.insert(vcmdq.index)
        // BASE is what HW_QUEUE_ALLOC programmed: the pinned PA | log2(entries).
        let base = UInt64(q.length.trailingZeroBitCount - 4) | q.basePhysicalAddress
        #expect(system.device.vcmdq(vcmdq.index).base == base, "step \(step): BASE of \(vcmdq)")
      }
      #expect(Set(allocatedVCMDQs(system)) == expectedAlloc, "step \(step): CMDQ_ALLOC")
      // Enabled SID_MATCH slots ↔ live vDEVICEs of that VINTF; enabled
      // VINTFs ↔ live vIOMMUs.
      var vintfOf: [Int: VIOMMU] = [:]
      for v in ctx.objects(of: VIOMMU.self) {
        if let vintf = v.driverData as? Tegra241VINTF { vintfOf[vintf.index] = v }
      }
      for v in 0..<cmdqv.numVINTFs {
        let programmed = programmedSIDs(system, vintf: v).map { "\($0.vsid)->\($0.psid)" }.sorted()
        let live = (vintfOf[v]?.vdevices.values.map { "\($0.virtID)->\($0.device.streamIDs[0])" } ?? []).sorted()
        #expect(programmed == live, "step \(step): VINTF\(v) SID slots")
        if v > 0 {
          #expect(system.device.vintf(v).enabled == (vintfOf[v] != nil), "step \(step): VINTF\(v) enable")
        }
      }
    }

    for step in 0..<Self.operations {
      let op = Int(rng.next() % 20)
      opCounts[op] += 1
      do {
        switch op {
        case 0:  // A new VM (IOAS + RAM, device, nest-parent HWPT).
          guard let slot = vms.firstIndex(where: { $0 == nil }) else { break }
          let ramPA = 0x2_0000_0000 + UInt64(slot) * 0x10_0000
          system.device.memory.backRange(base: ramPA, length: Self.ramSize)
          let ioas = try ctx.allocIOAS()
          try ctx.ioasMap(ioas: ioas, iova: Self.ramIPA, length: Self.ramSize, physicalAddress: ramPA)
          nextSID += 1
          let device = try ctx.bindDevice(streamIDs: [nextSID])
          let hwpt = try ctx.allocHWPT(device: device, ioas: ioas, nestParent: true)
          vms[slot] = VM(slot: slot, ioas: ioas, device: device, hwpt: hwpt, ramPA: ramPA)
        case 1, 2:  // vIOMMU alloc (ENOSPC beyond 3 user VINTFs; bad data length).
          guard let vm = pickVM(), vm.viommu == nil else { break }
          let userVIOMMUs = ctx.objects(of: VIOMMU.self).count
          let length = chance(10) ? [0, 15, 17][Int(rng.next() % 3)] : 16
          // An unbound device's ID may already name another VM's device (IDs are reused).
          guard vm.deviceBound else { break }
          if length != 16 {
            expectErr(.einval, step) { _ = try ctx.allocVIOMMU(device: vm.device, hwpt: vm.hwpt, type: 2, data: .init(repeating: 0, count: length)) }
            break
          }
          if userVIOMMUs == cmdqv.numVINTFs - 1 {
            count("vIOMMU ENOSPC")
            expectErr(.enospc, step) { _ = try ctx.allocVIOMMU(device: vm.device, hwpt: vm.hwpt, type: 2, data: .init(repeating: 0, count: 16)) }
            break
          }
          let allocation = try ctx.allocVIOMMU(device: vm.device, hwpt: vm.hwpt, type: 2, data: .init(repeating: 0, count: 16))
          vm.viommu = allocation
          let vintf = try #require((ctx.object(allocation.id) as? VIOMMU)?.driverData as? Tegra241VINTF)
          vm.vintf = vintf.index
          count("vIOMMU")
          if !chance(4) {  // A VMM maps page0 right away.
            let mapping = try ctx.mmap(offset: allocation.tegra241!.vintfMMapOffset, length: allocation.tegra241!.vintfMMapLength)
            vm.mapping = mapping
            vm.window = system.guestWindow(mapping, vintf: vm.vintf)
          }
        case 3:  // mmap / munmap.
          guard chance(3), let vm = pickVM(), let allocation = vm.viommu else { break }
          if let mapping = vm.mapping {
            mapping.munmap()
            vm.mapping = nil
            vm.window = nil
            vm.queues = vm.queues.mapValues { ($0.id, $0.guest, false) }
          } else {
            let mapping = try ctx.mmap(offset: allocation.tegra241!.vintfMMapOffset, length: allocation.tegra241!.vintfMMapLength)
            vm.mapping = mapping
            vm.window = system.guestWindow(mapping, vintf: vm.vintf)
            // Queues keep their hardware state, but the guest drivers are rebuilt below on use.
            vm.queues = vm.queues.mapValues { ($0.id, $0.guest, false) }
          }
        case 4:  // vIOMMU destroy: EBUSY while anything holds it.
          guard let vm = pickVM(), let allocation = vm.viommu else { break }
          let busy = vm.mapping != nil || vm.vdevice != nil || vm.veventq != nil || !vm.queues.isEmpty
          if busy {
            expectErr(.ebusy, step) { try ctx.destroy(allocation.id) }
          } else {
            try ctx.destroy(allocation.id)
            vm.viommu = nil
          }
        case 5:  // vDEVICE alloc, sometimes with a bad vSID.
          guard let vm = pickVM(), let allocation = vm.viommu else { break }
          let vsid = chance(8) ? 0x10_0000 + rng.next() % 0x100 : rng.next() % 0x40
          if !vm.deviceBound {
            break
          } else if vm.vdevice != nil {
            expectErr(.eexist, step) { _ = try ctx.allocVDevice(viommu: allocation.id, device: vm.device, virtID: vsid) }
          } else if vsid > 0xF_FFFF {
            expectErr(.einval, step) { _ = try ctx.allocVDevice(viommu: allocation.id, device: vm.device, virtID: vsid) }
          } else {
            vm.vdevice = (try ctx.allocVDevice(viommu: allocation.id, device: vm.device, virtID: vsid), vsid)
            count("vDEVICE")
          }
        case 6:  // vDEVICE destroy.
          guard let vm = pickVM(), let vdev = vm.vdevice else { break }
          try ctx.destroy(vdev.id)
          vm.vdevice = nil
        case 7:  // vEVENTQ alloc/destroy.
          guard let vm = pickVM(), let allocation = vm.viommu else { break }
          if let q = vm.veventq {
            try ctx.destroy(q)
            vm.veventq = nil
          } else {
            vm.veventq = try ctx.allocVEventQueue(viommu: allocation.id, type: 2, depth: 4)
          }
        case 8, 9:  // HW queue alloc with a random (sometimes invalid) index/length/address.
          guard let vm = pickVM(), let allocation = vm.viommu else { break }
          // Mostly the next index (what a VMM does), sometimes any, including invalid ones.
          let next = (0..<n).first { vm.queues[$0] == nil } ?? n
          let index = chance(3) ? Int(rng.next() % UInt64(n + 2)) : next
          let length: UInt64 = chance(6) ? [16, 48, 0x3000][Int(rng.next() % 3)] : 256
          let iova = Self.ramIPA + 0x1000 * UInt64(index % 4) + (chance(8) ? 0x40 : 0)
          let expected: Errno? =
            !vm.ramMapped ? .enoent
            : index >= n ? .einval
            : vm.queues[index] != nil ? .eexist
            : index > 0 && vm.queues[index - 1] == nil ? .eio
            : length != 256 ? .einval
            : iova & 0xFF != 0 ? .einval : nil
          let alloc = {
            try ctx.allocHWQueue(
              viommu: allocation.id, type: 1, index: UInt32(index), nestingParentIOVA: iova, length: length)
          }
          if let expected {
            expectErr(expected, step) { _ = try alloc() }
          } else {
            let id = try alloc()
            let guest = GuestLVCMDQ(
              window: vm.window ?? MMIOWindow(base: system.device, baseOffset: nil, length: 0, vintf: vm.vintf),
              lidx: index, vintf: vm.vintf, memory: system.guestMemory(ioas: vm.ioas), clock: system.clock,
              queueAddress: iova, log2Size: 4)
            vm.queues[index] = (id, guest, false)
            count("HW queue")
          }
        case 10:  // HW queue destroy: any index; only the highest succeeds.
          guard chance(2), let vm = pickVM(), let index = vm.queues.keys.randomElement(using: &rng) else { break }
          let id = vm.queues[index]!.id
          if vm.queues[index + 1] != nil {
            let base = system.device.vcmdq(vm.vintf * n + index).base
            expectErr(.ebusy, step) { try ctx.destroy(id) }
            #expect(system.device.vcmdq(vm.vintf * n + index).allocated)
            #expect(system.device.vcmdq(vm.vintf * n + index).base == base)
            count("HW queue destroy EBUSY")
          } else {
            try ctx.destroy(id)
            vm.queues[index] = nil
          }
        case 11:  // IOAS unmap/remap of the guest RAM (EBUSY while a queue is pinned).
          guard let vm = pickVM() else { break }
          if vm.ramMapped {
            if !vm.queues.isEmpty {
              expectErr(.ebusy, step) { _ = try ctx.ioasUnmap(ioas: vm.ioas, iova: Self.ramIPA, length: Self.ramSize) }
            } else {
              _ = try ctx.ioasUnmap(ioas: vm.ioas, iova: Self.ramIPA, length: Self.ramSize)
              vm.ramMapped = false
            }
          } else {
            try ctx.ioasMap(ioas: vm.ioas, iova: Self.ramIPA, length: Self.ramSize, physicalAddress: vm.ramPA)
            vm.ramMapped = true
          }
        case 12, 13:  // Guest: enable a queue and submit legal commands.
          guard let vm = pickVM(), let window = vm.window, let index = vm.queues.keys.randomElement(using: &rng)
          else { break }
          var entry = vm.queues[index]!
          if !entry.enabled {
            entry.guest = GuestLVCMDQ(
              window: window, lidx: index, vintf: vm.vintf, memory: system.guestMemory(ioas: vm.ioas),
              clock: system.clock, queueAddress: entry.guest.queueAddress, log2Size: 4)
            try entry.guest.enable()
            entry.enabled = true
            vm.queues[index] = entry
          }
          var commands: [SMMUCommand] = [.tlbiNHASID(asid: UInt16(step & 0xFF)), .tlbiNHVA(asid: 1, address: 0x1000)]
          if let vdev = vm.vdevice { commands.append(.atcInv(streamID: UInt32(vdev.vsid))) }
          try entry.guest.submit(commands)
          count("guest submit")
        case 14:  // Guest: an illegal command, then skip + ack through the window.
          guard let vm = pickVM(), vm.window != nil,
            let (index, entry) = vm.queues.filter({ $0.value.enabled }).randomElement(using: &rng)
          else { break }
          do {
            try entry.guest.submit([.cfgiSTE(streamID: 1)])
            Issue.record("step \(step): illegal guest command accepted")
          } catch is GuestQueueError {
            if vm.veventq != nil {
              let events = try ctx.readEvents(vm.veventq!)
              #expect(events.contains { $0.kind == .event(data: [UInt8(1 << index)] + .init(repeating: 0, count: 15)) }, "step \(step)")
            }
            entry.guest.acknowledgeError()
            try entry.guest.waitUntilConsumed()
            count("guest error acked")
          }
        case 15:  // HWPT_INVALIDATE with a random tail.
          guard let vm = pickVM(), let allocation = vm.viommu else { break }
          var commands: [SMMUCommand] = [.tlbiNSNHAll(), .tlbiNHASID(asid: 2)]
          let bad = chance(3)
          if bad { commands.append(.cfgiSTE(streamID: 3)) }
          do {
            let handled = try ctx.invalidate(viommu: allocation.id, commands: commands)
            #expect(!bad && handled == commands.count, "step \(step)")
          } catch {
            #expect(bad && error.errno == .eio && error.handledCount == 2, "step \(step): \(error)")
          }
        case 16:  // Host command on VINTF0, sometimes failing (the ISR skips and acks it).
          let cpu = Int(rng.next() % 8)
          if chance(4) {
            try system.device.injectCommandError(code: 1, atCommand: 1, on: .vcmdq(cpu % n))
            count("host error")
          }
          try cmdqv.issue([.tlbiNHASID(asid: 1), .cfgiSTE(streamID: 2)], cpu: cpu)
          #expect(!system.device.vcmdq(cpu % n).errorPending, "step \(step)")
        case 17:  // Tear one VM down completely in dependency order (rarely).
          guard chance(10), let vm = pickVM() else { break }
          vm.mapping?.munmap()
          for index in vm.queues.keys.sorted(by: >) { try ctx.destroy(vm.queues[index]!.id) }
          if let q = vm.veventq { try ctx.destroy(q) }
          if let v = vm.vdevice { try ctx.destroy(v.id) }
          if let v = vm.viommu { try ctx.destroy(v.id) }
          try ctx.destroy(vm.hwpt)
          if vm.deviceBound { try ctx.unbindDevice(vm.device) }
          try ctx.destroy(vm.ioas)
          forget(vm)
          count("VM teardown")
        case 18:  // Unbind the device first: its vDEVICE is tombstoned and its SID slot cleared.
          guard let vm = pickVM(), let vdev = vm.vdevice, chance(4) else { break }
          try ctx.unbindDevice(vm.device)
          vm.deviceBound = false
          vm.vdevice = nil
          expectErr(.enoent, step) { try ctx.destroy(vdev.id) }
          count("unbind with vDEVICE")
        default:  // close() and start over (rarely).
          guard chance(40) else { break }
          let report = ctx.close()
          #expect(report.isClean, "step \(step): \(report)")
          #expect(ctx.liveObjectCount == 0, "step \(step)")
          #expect(ctx.pinnedPages.isEmpty && ctx.mmapRegistry.isEmpty, "step \(step)")
          for v in 1..<cmdqv.numVINTFs { #expect(!system.device.vintf(v).enabled, "step \(step)") }
          vms = Array(repeating: nil, count: vms.count)
          closes += 1
        }
      } catch {
        Issue.record("step \(step) op \(op): unexpected \(error)")
      }
      checkInvariants(step)
    }
    _ = ctx.close()
    #expect(ctx.liveObjectCount == 0)
    #expect(allocatedVCMDQs(system) == Array(0..<n))
    #expect(closes > 0)
    print("TegraPropertyTests seed \(seed): ops \(opCounts), closes \(closes), \(stats.sorted { $0.key < $1.key })")
    for key in ["vIOMMU", "vIOMMU ENOSPC", "vDEVICE", "HW queue", "HW queue destroy EBUSY", "guest submit", "guest error acked", "host error", "VM teardown", "unbind with vDEVICE"] {
      #expect(stats[key, default: 0] >= 10, "\(key) happened only \(stats[key, default: 0]) times")
    }
  }
}
