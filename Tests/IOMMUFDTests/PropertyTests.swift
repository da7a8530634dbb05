import CMDQVRegisters
import IOMMUFD
import Testing

/// Random operation sequences against the core with the mock driver, checking
/// the invariants after every step.
struct PropertyTests {
  static let operations = 10_000

  @Test(arguments: [UInt64(0x5EED), 0xC0FFEE, 20_261_122])
  func randomOperationsKeepInvariants(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let iommu = MockIOMMU(streamIDs: 0...0x1F)
    let ctx = IOMMUFDContext(drivers: [iommu])
    iommu.context = ctx
    var accesses: [Access] = []
    var mappings: [MMapping] = []
    var closes = 0
    var queuedFaults = 0
    var successes = 0
    var opCounts = [Int](repeating: 0, count: 32)

    func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))] }
    func anyID() -> UInt32 { UInt32(rng.next() % UInt64(ctx.liveObjectCount + ctx.tombstonedIDs.count + 3)) }
    func idOf<T: IOMMUFDObject>(_ type: T.Type) -> UInt32 {
      // Mostly a live object of the type, sometimes anything (wrong type / stale).
      if rng.next() % 8 == 0 { return anyID() }
      return pick(ctx.objects(of: type))?.id ?? anyID()
    }
    func page(_ n: UInt64) -> UInt64 { n * IOAS.pageSize }

    for step in 0..<Self.operations {
      let op = rng.next() % 32
      do {
        switch op {
        case 0: _ = try ctx.allocIOAS()
        case 1, 2:
          let iova = page(rng.next() % 64)
          let length = page(1 + rng.next() % 4)
          // Mostly contiguous PA windows, sometimes scattered.
          let pa = rng.next() % 3 == 0 ? page(0x1000 + rng.next() % 4096) : 0x8000_0000 + iova
          try ctx.ioasMap(ioas: idOf(IOAS.self), iova: iova, length: length, physicalAddress: pa)
        case 3:
          try ctx.ioasUnmap(ioas: idOf(IOAS.self), iova: page(rng.next() % 64), length: page(1 + rng.next() % 16))
        case 4: _ = try ctx.bindDevice(streamIDs: [UInt32(rng.next() % 0x24)])
        case 5, 6: try ctx.destroy(anyID())
        case 7:
          if rng.next() % 3 == 0 {
            // A paging HWPT with a fault queue (not a nest parent).
            _ = try ctx.allocHWPT(
              device: idOf(IOMMUFDDevice.self), pt: idOf(IOAS.self), flags: .faultIDValid, faultID: idOf(FaultQueue.self))
          } else {
            _ = try ctx.allocHWPT(device: idOf(IOMMUFDDevice.self), ioas: idOf(IOAS.self), nestParent: rng.next() % 4 != 0)
          }
        case 8:
          _ = try ctx.allocVIOMMU(
            device: idOf(IOMMUFDDevice.self), hwpt: idOf(HWPTPaging.self),
            type: rng.next() % 8 == 0 ? 2 : IOMMUTest.viommuType)
        case 9:
          _ = try ctx.allocVDevice(viommu: idOf(VIOMMU.self), device: idOf(IOMMUFDDevice.self), virtID: rng.next() % 8)
        case 10, 11:
          // Mostly aim at memory mapped in the vIOMMU's nesting-parent IOAS.
          let viommu = rng.next() % 8 == 0 ? anyID() : (pick(ctx.objects(of: VIOMMU.self))?.id ?? anyID())
          var iova = page(rng.next() % 64) + (rng.next() % 2) * 0x100
          if let v = ctx.object(viommu) as? VIOMMU, let area = pick(Array(v.hwpt.ioas.areas.values)),
            rng.next() % 5 != 0
          {
            iova = area.iova + (rng.next() % area.length) & ~0xFF
          }
          _ = try ctx.allocHWQueue(
            viommu: viommu, type: IOMMUTest.hwQueueType, index: UInt32(rng.next() % 3),
            nestingParentIOVA: iova, length: 64 << (rng.next() % 8))
        case 12:
          _ = try ctx.allocVEventQueue(viommu: idOf(VIOMMU.self), type: UInt32(1 + rng.next() % 2), depth: UInt32(1 + rng.next() % 4))
        case 13:
          if let v = pick(ctx.objects(of: VIOMMU.self)) {
            try ctx.reportEvent(viommu: v, type: UInt32(1 + rng.next() % 2), data: [UInt8(step & 0xFF)])
          }
        case 14:
          if rng.next() % 2 == 0 {
            _ = try ctx.readEvents(idOf(VEventQueue.self), maxCount: Int(rng.next() % 4))
          } else {
            // Byte reads: the bytes always parse back into whole records.
            let id = idOf(VEventQueue.self)
            let bytes = try ctx.read(veventq: id, count: Int(rng.next() % 40), offset: rng.next() % 16 == 0 ? 8 : 0)
            #expect(VEvent.parse(bytes, type: 1, payloadSize: 1) != nil, "step \(step)")
          }
        case 15:
          if let region = pick(ctx.mmapRegistry) {
            mappings.append(try ctx.mmap(offset: region.offset, length: region.length))
          }
        case 16:
          if let m = pick(mappings) {
            m.munmap()
            mappings.removeAll { $0 === m }
          }
        case 17:
          let access = try ctx.createAccess(ioas: idOf(IOAS.self)) { access, iova, length in
            // A well-behaved driver: unpin everything in the range.
            for range in access.pinnedRanges where range.iova < iova + length && iova < range.iova + range.length {
              access.context?.accessUnpinPages(access, iova: range.iova, length: range.length)
            }
          }
          accesses.append(access)
        case 18:
          if let a = pick(accesses.filter { $0.state == .live }) {
            _ = try ctx.accessPinPages(a, iova: page(rng.next() % 64) + rng.next() % 0x1000, length: 1 + rng.next() % 0x3000)
          }
        case 19:
          if let a = pick(accesses.filter { $0.state == .live }) {
            try ctx.destroyAccess(a)
            accesses.removeAll { $0 === a }
          }
        case 20:
          let commands: [SMMUCommand] = rng.next() % 2 == 0 ? [.tlbiNHAll(), .atcInv(streamID: 1)] : [.sync()]
          _ = try ctx.invalidate(viommu: idOf(VIOMMU.self), commands: commands)
        case 23:
          // IOMMU_HWPT_INVALIDATE at byte level: any target, mostly sane
          // arrays, sometimes bad type/length/count/reserved or no data.
          let target = rng.next() % 2 == 0 ? idOf(VIOMMU.self) : idOf(HWPTNested.self)
          var entries: [UInt8] = []
          let count = rng.next() % 4
          for i in 0..<count {
            entries += rng.next() % 2 == 0
              ? SelftestHWPTInvalidation(flags: rng.next() % 6 == 0 ? 2 : 0, iotlbID: UInt32(rng.next() % 5)).bytes
              : Array(SMMUCommand.tlbiNHASID(asid: UInt16(i)).bytes.prefix(8))
          }
          let type = rng.next() % 2 == 0 ? IOMMUTest.hwptInvalidateDataType : UserDataArray.typeARMSMMUv3
          let entryLength: UInt32 = rng.next() % 4 == 0 ? UInt32(rng.next() % 20) : (type == 1 ? 16 : 8)
          var entryNum = rng.next() % 8 == 0 ? UInt32(rng.next() % 0x10_0000) : UInt32(count)
          if type == 1 && entryLength == 16 {
            entries = (0..<count).flatMap { SMMUCommand.tlbiNHASID(asid: UInt16($0)).bytes }
          }
          let before = entryNum
          do {
            try ctx.invalidate(
              hwpt: target, dataType: type, entryLength: entryLength, entryNum: &entryNum,
              data: rng.next() % 10 == 0 ? nil : entries, reserved: rng.next() % 10 == 0 ? 1 : 0)
            #expect(entryNum == before, "step \(step): a successful invalidation handles every entry")
          } catch {
            #expect(entryNum <= before, "step \(step): entry_num \(entryNum) > \(before) after \(error)")
            throw error
          }
        case 31:
          // I/O page faults: report (sometimes partial or with a PASID), read
          // whole or odd counts, answer good and bad cookies/codes.
          switch rng.next() % 3 {
          case 0:
            let flags = rng.next() % 4 == 0 ? UInt32(rng.next() % 4) : PageFault.flagLastPage
            // Mostly a device on a HWPT with a fault queue.
            let faulting = ctx.objects(of: IOMMUFDDevice.self).filter {
              ($0.attachedHWPT as? HWPTNested)?.fault != nil || ($0.attachedHWPT as? HWPTPaging)?.fault != nil
            }
            let device = rng.next() % 4 == 0 ? idOf(IOMMUFDDevice.self) : (pick(faulting)?.id ?? idOf(IOMMUFDDevice.self))
            let outcome = try ctx.reportPageFault(
              device: device,
              PageFault(flags: flags, pasid: UInt32(rng.next() % 3), grpid: UInt32(rng.next() % 4), perm: 1, addr: page(rng.next() % 8)))
            if case .queued = outcome { queuedFaults += 1 }
          case 1:
            _ = try ctx.read(fault: idOf(FaultQueue.self), count: rng.next() % 5 == 0 ? Int(rng.next() % 100) : 40 * Int(rng.next() % 4))
          default:
            let cookie = UInt32(rng.next() % 4)
            let code = UInt32(rng.next() % 3)
            let bytes = (0..<4).map { UInt8(truncatingIfNeeded: cookie >> UInt32(8 * $0)) } + (0..<4).map { UInt8(truncatingIfNeeded: code >> UInt32(8 * $0)) }
            try ctx.write(fault: idOf(FaultQueue.self), bytes: bytes)
          }
        case 21:
          if let q1 = pick(ctx.objects(of: HWQueue.self)), let q2 = pick(ctx.objects(of: HWQueue.self)) {
            try ctx.depend(q1, on: q2)
            ctx.undepend(q1, on: q2)
          }
        case 22:
          try ctx.unbindDevice(idOf(IOMMUFDDevice.self))
        case 24:
          // Nested HWPT: mostly good data, sometimes bad type/length/flags or fault ID.
          var flags = HWPTAllocFlags(rawValue: rng.next() % 6 == 0 ? UInt32(1) << UInt32(rng.next() % 32) : 0)
          let withFault = rng.next() % 3 == 0
          if withFault { flags.insert(.faultIDValid) }
          let data: HWPTUserData? =
            switch rng.next() % 6 {
            case 0: nil
            case 1: HWPTUserData(type: HWPTUserData.typeSelftest, bytes: [1, 2, 3])
            case 2: HWPTUserData(type: 0xbeef, bytes: [1, 2, 3, 4])
            default: HWPTUserData.selftest(iotlb: UInt32(step))
            }
          _ = try ctx.allocHWPT(
            device: idOf(IOMMUFDDevice.self), pt: rng.next() % 2 == 0 ? idOf(VIOMMU.self) : idOf(IOAS.self),
            flags: flags, data: data, faultID: withFault ? idOf(FaultQueue.self) : 0)
        case 25: _ = try ctx.allocFaultQueue(flags: rng.next() % 8 == 0 ? 1 : 0)
        case 26: try ctx.closeFaultQueueFile(idOf(FaultQueue.self))
        case 27:
          var pt = rng.next() % 3 == 0 ? idOf(IOAS.self) : (rng.next() % 2 == 0 ? idOf(HWPTNested.self) : idOf(HWPTPaging.self))
          if rng.next() % 3 == 0 {
            // A HWPT with a fault queue, so that page faults get queued.
            let faulting: [IOMMUFDObject] =
              ctx.objects(of: HWPTPaging.self).filter { $0.fault != nil } + ctx.objects(of: HWPTNested.self).filter { $0.fault != nil }
            pt = pick(faulting)?.id ?? pt
          }
          _ = try ctx.vfioAttachPT(device: idOf(IOMMUFDDevice.self), pt: pt)
        case 28:
          let pt = rng.next() % 2 == 0 ? idOf(IOAS.self) : idOf(HWPTPaging.self)
          _ = try ctx.attachDevice(idOf(IOMMUFDDevice.self), pt: pt)
        case 29: try ctx.detachDevice(idOf(IOMMUFDDevice.self))
        default:
          if rng.next() % 8 == 0 {
            // A process exit: drivers drop their accesses, then the fd closes.
            for a in accesses where a.state == .live { try ctx.destroyAccess(a) }
            accesses.removeAll()
            let report = ctx.close()
            closes += 1
            mappings.removeAll()
            #expect(report.isClean, "step \(step): \(report)")
            #expect(ctx.liveObjectCount == 0, "step \(step): leaked \(ctx.objectKinds)")
            #expect(ctx.tombstonedIDs.isEmpty)
            #expect(ctx.mmapRegistry.isEmpty)
            #expect(iommu.vmids.inUse.isEmpty, "step \(step): VMIDs leaked \(iommu.vmids.inUse)")
          }
        }
        successes += 1
        opCounts[Int(op)] += 1
      } catch is Errno {
        // Refused operations are part of the test; the invariants must hold.
      } catch is InvalidationError {
      } catch {
        Issue.record("step \(step) op \(op): unexpected error \(error)")
      }
      if !checkInvariants(ctx, accesses: accesses, step: step) { break }
    }
    #expect(closes > 10)
    #expect(opCounts[10] + opCounts[11] > 15, "too few HW queues allocated")
    #expect(opCounts[24] > 10, "too few nested HWPTs allocated")
    #expect(opCounts[27] + opCounts[28] > 30, "too few attaches")
    #expect(opCounts[23] > 5, "too few successful byte-level invalidations")
    #expect(opCounts[31] > 10, "too few successful page-fault operations")
    #expect(queuedFaults > 3, "too few page-fault groups queued")
    #expect(successes > Self.operations / 4)
    // Final teardown.
    for a in accesses where a.state == .live { try ctx.destroyAccess(a) }
    #expect(ctx.close().isClean)
    #expect(ctx.liveObjectCount == 0)
    #expect(ctx.pinnedPages.isEmpty)
    #expect(ctx.lockDiagnostics.isEmpty)
  }

  /// The invariants; returns `false` (after recording) on the first failure.
  func checkInvariants(_ ctx: IOMMUFDContext, accesses: [Access], step: Int) -> Bool {
    var ok = true
    func check(_ condition: Bool, _ message: @autoclosure () -> String) {
      if !condition {
        Issue.record("step \(step): \(message())")
        ok = false
      }
    }
    check(ctx.reservedIDs.isEmpty, "reserved IDs left: \(ctx.reservedIDs)")
    let live = ctx.objectKinds.keys.compactMap { ctx.object($0) }
    var expected: [ObjectIdentifier: Int] = [:]
    for object in live { expected[ObjectIdentifier(object)] = 1 }
    func ref(_ object: IOMMUFDObject) { expected[ObjectIdentifier(object), default: 1000] += 1 }
    for object in live {
      check(object.waitCount == 0, "\(object.label) waitCount \(object.waitCount) at rest")
      switch object {
      case let h as HWPTPaging:
        ref(h.ioas)
        if let f = h.fault { ref(f) }
        check(!h.isAutoDomain || h.users > 1, "auto-domain \(h.label) left without devices")
      case let f as FaultQueue:
        if f.isFileOpen { ref(f) }
        // Groups wait only while their device is on a HWPT using this queue
        // (leaving it answers them).
        if f.pendingGroupCount + f.awaitingResponse.count > 0 {
          let users = ctx.objects(of: IOMMUFDDevice.self).contains { d in
            (d.attachedHWPT as? HWPTNested)?.fault === f || (d.attachedHWPT as? HWPTPaging)?.fault === f
          }
          check(users, "fault queue \(f.id) holds groups of no attached device")
        }
      case let d as IOMMUFDDevice:
        if let hwpt = d.attachedHWPT {
          ref(hwpt)
          ref(d)
          check(hwpt.state == .live, "device \(d.id) attached to a dead \(hwpt.label)")
        } else {
          check(d.installedSTE == nil, "detached device \(d.id) with an STE")
        }
      case let v as VIOMMU:
        ref(v.hwpt)
        check(v.ops != nil, "vIOMMU \(v.id) without ops")
      case let d as VDevice:
        ref(d.viommu)
        check(d.viommu.vdevices[d.virtID] === d, "vDEVICE \(d.id) missing from its vIOMMU's xarray")
        check(d.device.vdevice === d, "vDEVICE \(d.id) not linked from its device")
      case let q as HWQueue:
        ref(q.viommu)
        for dep in ctx.dependencies(of: q) { ref(dep) }
        check(q.access?.state == .live, "HW queue \(q.id) without a live access")
      case let e as VEventQueue:
        ref(e.viommu)
        check(e.numEvents <= Int(e.depth), "vEVENTQ \(e.id) over depth")
      case let n as HWPTNested:
        ref(n.viommu)
        if let f = n.fault { ref(f) }
        check(n.domain != nil, "nested \(n.label) without a domain")
      case let a as Access:
        ref(a)  // the driver's reference
        if let ioas = a.ioas { ref(ioas) }
      case let o as SelftestObject:
        ref(o.device)  // iommufd_device_bind's caller reference
        check(o.driver.mockDevices[o.mockDevice.id] === o.mockDevice, "\(o.label) without its mock device")
        check(o.device.state == .live, "\(o.label) holds a dead device")
      default: break
      }
    }
    // Internal accesses are in the table (their creator is the HW queue).
    for ioas in ctx.objects(of: IOAS.self) {
      for access in ioas.accesses where access.isInternal {
        check(ctx.object(access.id) === access, "\(access.name) not in the table")
      }
    }
    for mapping in ctx.liveMappings { ref(mapping.owner) }
    for object in live {
      check(
        object.users == expected[ObjectIdentifier(object)],
        "\(object.label) users \(object.users), expected \(expected[ObjectIdentifier(object)] ?? -1)")
    }
    // Every pinned page has a live owner and is mapped.
    for pin in ctx.pinnedPages {
      check(pin.count > 0, "zero pin count")
      let access = pin.access
      check(access.state == .live, "pin by a dead access")
      if access.isInternal {
        check(access.owner.map { ctx.object($0.id) === $0 } ?? false, "pin at 0x\(String(pin.iova, radix: 16)) by an orphaned internal access")
      } else {
        check(ctx.object(access.id) === access, "pin by an access not in the table")
      }
      let ioas = ctx.object(pin.ioas) as? IOAS
      check(ioas?.physicalAddress(of: pin.iova) != nil, "pinned page 0x\(String(pin.iova, radix: 16)) not mapped")
    }
    // Every external access the test holds is in the table iff live.
    for access in accesses where access.state == .live {
      check(ctx.object(access.id) === access, "live access \(access.id) not in the table")
    }
    // Mmap regions belong to live vIOMMUs.
    for region in ctx.mmapRegistry {
      check(ctx.object(region.ownerID) is VIOMMU, "mmap offset \(region.offset) owned by a dead object")
      check(region.offset != 0, "mmap offset 0")
    }
    return ok
  }
}

/// Random sequences of the selftest mock driver's operations (the
/// `IOMMU_TEST_CMD` ops, mock vIOMMUs with and without data, mock nested
/// HWPTs, HW queues, vDEVICEs, vEVENTs, invalidations, mmaps) with the same
/// invariants after every step, and one more for every allocation that
/// fails: it leaves the table, the pins, the mmaps and the mock devices
/// exactly as they were.
struct SelftestPropertyTests {
  static let operations = 2_500

  @Test(arguments: [UInt64(0xD15EA5E), 0xBEEF, 20_261_203])
  func randomMockOperationsKeepInvariants(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let driver = SelftestIOMMUDriver()
    let ctx = IOMMUFDContext(drivers: [driver])
    var mappings: [MMapping] = []
    var closes = 0
    var opCounts = [Int](repeating: 0, count: 24)
    var failedAllocations = 0
    var faultsAnswered = 0

    func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))] }
    func anyID() -> UInt32 { UInt32(rng.next() % UInt64(ctx.liveObjectCount + ctx.tombstonedIDs.count + 3)) }
    func idOf<T: IOMMUFDObject>(_ type: T.Type) -> UInt32 {
      if rng.next() % 8 == 0 { return anyID() }
      return pick(ctx.objects(of: type))?.id ?? anyID()
    }
    func page(_ n: UInt64) -> UInt64 { IOMMUTest.apertureStart + n * IOAS.pageSize }
    /// Mostly the mock vIOMMU's next free queue slot, sometimes 0...2.
    func queueIndex(_ viommu: UInt32) -> UInt32 {
      let slots = ((ctx.object(viommu) as? VIOMMU)?.ops as? SelftestVIOMMU)?.hwQueues ?? []
      if rng.next() % 4 != 0, let free = slots.firstIndex(where: { $0 == nil }) { return UInt32(free) }
      return UInt32(rng.next() % 3)
    }
    func state() -> [String] {
      tableSnapshot(ctx) + driver.mockDevices.keys.sorted().map { "mock \($0)" }
        + ctx.mmapRegistry.map { "mmap \($0.offset)" } + ctx.tombstonedIDs.map { "tombstone \($0)" }
        + ctx.pinnedPages.map { "pin \($0.iova) \($0.count)" }
    }

    for step in 0..<Self.operations {
      let op = Int(rng.next() % 24)
      let before = [3, 4, 8, 9, 10, 11, 12, 13].contains(op) ? state() : []
      var isAllocation = false
      do {
        switch op {
        case 0: _ = try ctx.allocIOAS()
        case 1:
          if rng.next() % 3 == 0 {
            try ctx.ioasUnmap(ioas: idOf(IOAS.self), iova: page(rng.next() % 16), length: IOAS.pageSize * (1 + rng.next() % 4))
          } else {
            let pa = rng.next() % 3 == 0 ? 0x9000_0000 + (rng.next() % 64) * IOAS.pageSize : 0x8000_0000 + page(0)
            try ctx.ioasMap(
              ioas: idOf(IOAS.self), iova: page(rng.next() % 16), length: IOAS.pageSize * (1 + rng.next() % 3),
              physicalAddress: pa)
          }
        case 2:
          // What a VMM does for one device: a vDEVICE on a vIOMMU, a nested
          // HWPT there, and the replace onto it (each step may fail).
          guard let stdev = pick(ctx.objects(of: SelftestObject.self)), let viommu = pick(ctx.objects(of: VIOMMU.self))
          else { break }
          if stdev.device.vdevice == nil {
            _ = try? ctx.allocVDevice(viommu: viommu.id, device: stdev.device.id, virtID: 0x90 + rng.next() % 6)
          }
          var nested = pick(ctx.objects(of: HWPTNested.self).filter { $0.viommu === viommu })?.id
          if nested == nil || rng.next() % 3 == 0 {
            // Half of the new ones deliver page faults.
            let fault = rng.next() % 2 == 0 ? (pick(ctx.objects(of: FaultQueue.self))?.id ?? (try? ctx.allocFaultQueue())) : nil
            nested =
              (try? ctx.allocHWPT(
                device: stdev.device.id, pt: viommu.id, flags: fault == nil ? [] : .faultIDValid, data: .selftest(),
                faultID: fault ?? 0)) ?? nested
          }
          try ctx.testMockDomainReplace(stdev: stdev.id, pt: nested ?? anyID())
        case 3, 4:
          isAllocation = true
          let pt = rng.next() % 4 == 0 ? idOf(HWPTPaging.self) : idOf(IOAS.self)
          _ = try ctx.testMockDomain(pt: pt, deviceFlags: IOMMUTest.DeviceFlags(rawValue: UInt32(rng.next() % 10)))
        case 5:
          // Mostly a nested HWPT of a vIOMMU on which the device has a
          // vDEVICE (what a vEVENT needs), sometimes anything.
          let stdev = pick(ctx.objects(of: SelftestObject.self))
          let ready = ctx.objects(of: HWPTNested.self).filter { n in
            stdev.map { s in n.viommu.vdevices.values.contains { $0.device === s.device } } ?? false
          }
          let pt =
            rng.next() % 3 != 0 && !ready.isEmpty
            ? pick(ready)!.id : [idOf(IOAS.self), idOf(HWPTNested.self), idOf(HWPTPaging.self)][Int(rng.next() % 3)]
          try ctx.testMockDomainReplace(stdev: stdev?.id ?? anyID(), pt: pt)
        case 6, 7: try ctx.destroy(anyID())
        case 8:
          isAllocation = true
          let flags =
            rng.next() % 3 != 0
            ? HWPTAllocFlags.nestParent
            : HWPTAllocFlags(rawValue: UInt32(rng.next() % 16) & ~HWPTAllocFlags.faultIDValid.rawValue)
          _ = try ctx.allocHWPT(device: idOf(IOMMUFDDevice.self), pt: idOf(IOAS.self), flags: flags)
        case 9:
          isAllocation = true
          let data: [UInt8] =
            switch rng.next() % 4 {
            case 0: []
            case 1: [UInt8](repeating: 1, count: Int(rng.next() % 30))
            default: SelftestVIOMMUData(inData: UInt32(step)).bytes(length: 8 + Int(rng.next() % 17))
            }
          let parents = ctx.objects(of: HWPTPaging.self).filter(\.isNestParent)
          _ = try ctx.allocVIOMMU(
            device: idOf(IOMMUFDDevice.self), hwpt: rng.next() % 4 != 0 ? pick(parents)?.id ?? anyID() : anyID(),
            type: rng.next() % 8 == 0 ? 2 : IOMMUTest.viommuType, data: data)
        case 10:
          isAllocation = true
          let data: HWPTUserData =
            switch rng.next() % 5 {
            case 0: HWPTUserData(type: 0xbeef, bytes: [1, 2, 3, 4])
            case 1: HWPTUserData(type: IOMMUTest.hwptDataType, bytes: [1, 2])
            default: .selftest(iotlb: UInt32(step))
            }
          let withFault = rng.next() % 3 == 0
          _ = try ctx.allocHWPT(
            device: idOf(IOMMUFDDevice.self), pt: idOf(VIOMMU.self),
            flags: HWPTAllocFlags(rawValue: (rng.next() % 6 == 0 ? 8 : 0) | (withFault ? 4 : 0)), data: data,
            faultID: withFault ? idOf(FaultQueue.self) : 0)
        case 11:
          isAllocation = true
          _ = try ctx.allocVDevice(viommu: idOf(VIOMMU.self), device: idOf(IOMMUFDDevice.self), virtID: 0x90 + rng.next() % 6)
        case 12:
          isAllocation = true
          let viommu = idOf(VIOMMU.self)
          var iova = page(rng.next() % 16) + (rng.next() % 2) * 0x800
          if let v = ctx.object(viommu) as? VIOMMU, let area = pick(Array(v.hwpt.ioas.areas.values)), rng.next() % 4 != 0 {
            iova = area.iova + (rng.next() % area.length) & ~0x7FF
          }
          _ = try ctx.allocHWQueue(
            viommu: viommu, type: rng.next() % 8 == 0 ? 1 : IOMMUTest.hwQueueType, index: queueIndex(viommu),
            nestingParentIOVA: iova, length: 0x800 << (rng.next() % 2))
        case 13 where rng.next() % 3 == 0:
          isAllocation = true
          _ = try ctx.allocFaultQueue()
        case 13:
          isAllocation = true
          _ = try ctx.allocVEventQueue(viommu: idOf(VIOMMU.self), type: IOMMUTest.veventqType, depth: UInt32(1 + rng.next() % 3))
        case 14:
          // Mostly a device attached to a nested HWPT.
          // Mostly a device attached to a nested HWPT, whose vIOMMU gets a
          // vEVENTQ first if it has none.
          let attached = ctx.objects(of: IOMMUFDDevice.self).filter { $0.attachedHWPT is HWPTNested }
          let device = rng.next() % 4 != 0 ? pick(attached) : nil
          if let nested = device?.attachedHWPT as? HWPTNested, nested.viommu.eventQueues.isEmpty {
            _ = try? ctx.allocVEventQueue(viommu: nested.viommu.id, type: IOMMUTest.veventqType, depth: 2)
          }
          try ctx.testTriggerVEvent(device: device?.id ?? anyID())
        case 15: _ = try ctx.readEvents(idOf(VEventQueue.self), maxCount: Int(rng.next() % 4))
        case 16:
          let entries = (0..<rng.next() % 3).map { _ in
            SelftestVIOMMUInvalidation(
              flags: rng.next() % 6 == 0 ? 2 : UInt32(rng.next() % 2), vdevID: UInt32(0x90 + rng.next() % 7),
              cacheID: UInt32(rng.next() % 5))
          }
          var entryNum = 0
          try ctx.invalidate(hwpt: rng.next() % 4 == 0 ? anyID() : idOf(VIOMMU.self), entries: entries, entryNum: &entryNum)
          #expect(entryNum <= entries.count)
        case 17:
          let entries = (0..<rng.next() % 3).map { _ in
            SelftestHWPTInvalidation(flags: rng.next() % 6 == 0 ? 2 : UInt32(rng.next() % 2), iotlbID: UInt32(rng.next() % 5))
          }
          var entryNum = 0
          try ctx.invalidate(hwpt: idOf(HWPTNested.self), entries: entries, entryNum: &entryNum)
        case 18:
          switch rng.next() % 3 {
          case 0:
            try ctx.testCheckDevCache(device: idOf(IOMMUFDDevice.self), cacheID: UInt32(rng.next() % 5), expected: 0)
          case 1:
            let faulting = ctx.objects(of: IOMMUFDDevice.self).filter { ($0.attachedHWPT as? HWPTNested)?.fault != nil }
            let outcome = try ctx.testTriggerIOPF(
              device: pick(faulting)?.id ?? idOf(IOMMUFDDevice.self), pasid: UInt32(rng.next() % 2), grpid: UInt32(step),
              perm: 1, addr: page(0))
            // Sometimes the VMM's fault handler reads and answers at once.
            if case .queued(let fault) = outcome, rng.next() % 2 == 0 {
              let records = try ctx.read(fault: fault, count: 40)
              for base in stride(from: 0, to: records.count, by: 40) {
                faultsAnswered += try ctx.write(fault: fault, bytes: Array(records[(base + 36)..<(base + 40)]) + [0, 0, 0, 0]) / 8
              }
            }
          default:
            let pending = ctx.objects(of: FaultQueue.self).filter { $0.pendingGroupCount > 0 }
            let fault = rng.next() % 4 != 0 ? pick(pending)?.id ?? idOf(FaultQueue.self) : idOf(FaultQueue.self)
            let records = try ctx.read(fault: fault, count: 40 * Int(rng.next() % 3))
            var answers: [UInt8] = []
            for base in stride(from: 0, to: records.count, by: 40) {
              answers += Array(records[(base + 36)..<(base + 40)]) + [UInt8(rng.next() % 8 == 0 ? 2 : rng.next() % 2), 0, 0, 0]
            }
            if !answers.isEmpty { faultsAnswered += try ctx.write(fault: fault, bytes: answers) / 8 }
          }
        case 19:
          if let region = pick(ctx.mmapRegistry) { mappings.append(try ctx.mmap(offset: region.offset, length: region.length)) }
        case 20:
          if let m = pick(mappings) {
            m.munmap()
            mappings.removeAll { $0 === m }
          }
        case 21: try ctx.detachDevice(idOf(IOMMUFDDevice.self))
        case 22: try ctx.testSetTempMemoryLimit(UInt32(rng.next() % 24))
        default:
          if rng.next() % 8 == 0 {
            let report = ctx.close()
            closes += 1
            mappings.removeAll()
            #expect(report.isClean, "step \(step): \(report)")
            #expect(ctx.liveObjectCount == 0 && ctx.tombstonedIDs.isEmpty && ctx.mmapRegistry.isEmpty)
            #expect(driver.mockDevices.isEmpty, "step \(step): mock devices leaked")
            #expect(driver.vmids.inUse.isEmpty, "step \(step): VMIDs leaked")
          }
        }
        opCounts[op] += 1
      } catch {
        if isAllocation {
          failedAllocations += 1
          #expect(state() == before, "step \(step) op \(op): the failed allocation (\(error)) left something behind")
        }
      }
      #expect(ctx.warnings.isEmpty, "step \(step): \(ctx.warnings)")
      if !PropertyTests().checkInvariants(ctx, accesses: [], step: step) || !ctx.warnings.isEmpty { break }
      let owned = Set(ctx.objects(of: SelftestObject.self).map { ObjectIdentifier($0.mockDevice) })
      #expect(
        owned == Set(driver.mockDevices.values.map(ObjectIdentifier.init)), "step \(step): mock devices without objects")
    }
    #expect(closes > 3)
    #expect(opCounts[3] + opCounts[4] > 50, "too few mock domains")
    #expect(opCounts[2] > 10, "too few replaces onto nested HWPTs")
    #expect(opCounts[10] > 5, "too few nested HWPTs")
    #expect(opCounts[12] > 3, "too few HW queues")
    #expect(opCounts[14] >= 3, "too few vEVENTs")
    #expect(faultsAnswered > 0, "no page fault was read and answered")
    #expect(opCounts[16] > 3, "too few vIOMMU invalidations")
    #expect(failedAllocations > 100)
    #expect(ctx.close().isClean)
    #expect(driver.mockDevices.isEmpty && ctx.pinnedPages.isEmpty)
  }
}
