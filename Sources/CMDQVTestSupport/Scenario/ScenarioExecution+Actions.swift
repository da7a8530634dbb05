import CMDQVModel
import CMDQVRegisters
import IOMMUFD

extension ScenarioExecution {
  func hex(_ v: some BinaryInteger) -> String { "0x" + String(v, radix: 16) }

  /// Runs an ioctl-like body and compares its errno with `expect`.
  func expecting(_ expect: String?, _ body: () throws(Errno) -> String) throws(StepFailure) -> String {
    do {
      let detail = try body()
      if let expect { throw StepFailure("expected \(expect), got success") }
      return detail
    } catch let error as Errno {
      guard error.name == expect else { throw StepFailure("expected \(expect ?? "success"), got \(error)") }
      return "\(error.name) as expected"
    } catch let failure as StepFailure {
      throw failure
    } catch {
      throw StepFailure("\(error)")
    }
  }

  func requireBooted() throws(StepFailure) {
    guard booted else { throw StepFailure("the drivers are not booted (the boot step failed)") }
  }

  func id(_ name: String) throws(StepFailure) -> UInt32 {
    guard let id = ids[name] else { throw StepFailure("'\(name)' does not exist (the step that defines it failed)") }
    return id
  }

  func window(_ name: String) throws(StepFailure) -> GuestWindow {
    guard let w = windows[name] else { throw StepFailure("window '\(name)' does not exist (its mmap failed)") }
    return w
  }

  func perform(_ action: ScenarioAction) throws(StepFailure) -> String {
    let ctx = system.context
    switch action {
    case .boot(let expect):
      return try expecting(expect) { () throws(Errno) -> String in
        try system.boot()
        booted = true
        return "booted: VINTF0 enabled with \(system.device.configuration.numLVCMDQsPerVINTF) kernel LVCMDQs"
      }
    case .note(let text):
      system.device.note(text)
      return text
    case .ioas(let name, let expect):
      try requireBooted()
      return try expecting(expect) { () throws(Errno) -> String in
        let id = try ctx.allocIOAS()
        ids[name] = id
        return "IOAS \(name) = id \(id)"
      }
    case .map(let ioas, let iova, let length, let pa, let expect):
      let ioasID = try id(ioas)
      return try expecting(expect) { () throws(Errno) -> String in
        try ctx.ioasMap(ioas: ioasID, iova: iova, length: length, physicalAddress: pa)
        system.device.memory.backRange(base: pa, length: length)
        return "mapped IOVA \(hex(iova)) +\(hex(length)) -> PA \(hex(pa))"
      }
    case .unmap(let ioas, let iova, let length, let expect):
      let ioasID = try id(ioas)
      return try expecting(expect) { () throws(Errno) -> String in
        let n = try ctx.ioasUnmap(ioas: ioasID, iova: iova, length: length)
        return "unmapped \(hex(n)) bytes"
      }
    case .bind(let name, let sids, let expect):
      try requireBooted()
      return try expecting(expect) { () throws(Errno) -> String in
        let id = try ctx.bindDevice(streamIDs: sids)
        ids[name] = id
        return "device \(name) = id \(id), SIDs \(sids.map { hex($0) }.joined(separator: ","))"
      }
    case .attach(let device, let pt, let expect):
      let d = try id(device), p = try id(pt)
      return try expecting(expect) { () throws(Errno) -> String in
        let hwpt = try ctx.vfioAttachPT(device: d, pt: p)
        let ste = (ctx.object(d) as? IOMMUFDDevice)?.installedSTE
        return "device \(device) attached to \(pt) (HWPT id \(hwpt))" + (ste.map { ", STE \($0)" } ?? "")
      }
    case .hwpt(let name, let device, let ioas, let nestParent, let ste, let expect):
      let d = try id(device), p = try id(ioas)
      return try expecting(expect) { () throws(Errno) -> String in
        let data = ste.map { HWPTUserData.armSMMUv3(ste0: $0.first ?? 0, ste1: $0.dropFirst().first ?? 0) }
        let id = try ctx.allocHWPT(device: d, pt: p, flags: nestParent ? .nestParent : [], data: data)
        ids[name] = id
        hwptIOAS[name] = ioas
        let vmid = (ctx.object(id) as? HWPTPaging)?.vmid
        return "HWPT \(name) = id \(id)" + (vmid.map { ", VMID \($0)" } ?? "")
      }
    case .viommu(let name, let device, let hwpt, let expect):
      let d = try id(device), h = try id(hwpt)
      return try expecting(expect) { () throws(Errno) -> String in
        let a = try ctx.allocVIOMMU(
          device: d, hwpt: h, type: Tegra241IOMMUDriver.viommuTypeTegra241CMDQV, data: [UInt8](repeating: 0, count: 16))
        ids[name] = a.id
        viommus[name] = a
        viommuHWPT[name] = hwpt
        return "vIOMMU \(name) = id \(a.id), mmap offset \(a.tegra241.map { hex($0.vintfMMapOffset) } ?? "-") length \(a.tegra241.map { hex($0.vintfMMapLength) } ?? "-")"
      }
    case .mmap(let name, let viommu, let offset, let length, let expect):
      guard let a = viommus[viommu] else { throw StepFailure("'\(viommu)' does not exist (the step that defines it failed)") }
      guard let off = offset ?? a.tegra241?.vintfMMapOffset, let len = length ?? a.tegra241?.vintfMMapLength else {
        throw StepFailure("vIOMMU '\(viommu)' returned no mmap region; give offset and length")
      }
      return try expecting(expect) { () throws(Errno) -> String in
        let mapping = try ctx.mmap(offset: off, length: len)
        let rel = mapping.physicalAddress &- CMDQVSystem.cmdqvBasePhysical
        // A VINTF's page0 sits at 0x30000 + 0x20000 * v in the CMDQV aperture.
        guard rel >= 0x30000, (rel - 0x30000) % 0x20000 == 0 else {
          mapping.munmap()
          throw Errno.einval("mmap'd PA \(hex(mapping.physicalAddress)) is not a VINTF page0")
        }
        let vintf = Int((rel - 0x30000) / 0x20000)
        windows[name] = GuestWindow(
          mapping: mapping, window: system.guestWindow(mapping, vintf: vintf), vintf: vintf, viommu: viommu)
        return "window \(name): VINTF\(vintf) page0 at PA \(hex(mapping.physicalAddress))"
      }
    case .munmap(let name):
      try window(name).mapping.munmap()
      return "unmapped \(name)"
    case .vdevice(let name, let viommu, let device, let virtID, let expect):
      let v = try id(viommu), d = try id(device)
      return try expecting(expect) { () throws(Errno) -> String in
        ids[name] = try ctx.allocVDevice(viommu: v, device: d, virtID: virtID)
        return "vDEVICE \(name) vSID \(hex(virtID))"
      }
    case .veventq(let name, let viommu, let depth, let expect):
      let v = try id(viommu)
      return try expecting(expect) { () throws(Errno) -> String in
        ids[name] = try ctx.allocVEventQueue(viommu: v, type: Tegra241IOMMUDriver.veventqTypeTegra241CMDQV, depth: depth)
        return "vEVENTQ \(name) depth \(depth)"
      }
    case .hwQueue(let name, let viommu, let index, let iova, let length, let expect):
      let v = try id(viommu)
      return try expecting(expect) { () throws(Errno) -> String in
        ids[name] = try ctx.allocHWQueue(
          viommu: v, type: Tegra241IOMMUDriver.hwQueueTypeTegra241CMDQV, index: index, nestingParentIOVA: iova,
          length: length)
        hwQueues[name] = (viommu, index, iova, length)
        return "HW queue \(name): LVCMDQ\(index) at IPA \(hex(iova)) +\(hex(length))"
      }
    case .guestEnable(let window, let queue, let expect):
      let q = try makeGuestQueue(window, queue)
      return try expecting(expect) { () throws(Errno) -> String in
        try q.enable()
        guestQueues["\(window)#\(queue)"] = q
        return "guest enabled LVCMDQ\(queue)"
      }
    case .guestSubmit(let window, let queue, let commands, let sync, let expectError):
      let q = try guestQueue(window, queue)
      do {
        try q.submit(commands, sync: sync)
      } catch let error as GuestQueueError {
        guard error.rawCode == expectError else {
          throw StepFailure("expected \(cerrorName(expectError)), got \(error)")
        }
        return "CERROR_\(cerrorName(error.rawCode)) at index \(error.consIndex) as expected"
      } catch {
        throw StepFailure("expected \(cerrorName(expectError)), got \(error)")
      }
      if let expectError { throw StepFailure("expected CERROR_\(cerrorName(expectError)), got no error") }
      return "\(commands.count) command(s)\(sync ? " + CMD_SYNC" : "") consumed"
    case .guestAck(let window, let queue):
      let q = try guestQueue(window, queue)
      q.acknowledgeError()
      do { try q.waitUntilConsumed() } catch { throw StepFailure("after the ack: \(error)") }
      return "acknowledged; queue drained"
    case .hostIssue(let commands, let cpu, let sync, let expect):
      try requireBooted()
      return try expecting(expect) { () throws(Errno) -> String in
        try system.cmdqv.issue(commands, sync: sync, cpu: cpu)
        return "\(commands.count) command(s) issued on cpu \(cpu)"
      }
    case .invalidate(let viommu, let commands, let expect, let handled):
      let v = try id(viommu)
      var count = 0
      var got: Errno?
      do throws(InvalidationError) { count = try ctx.invalidate(viommu: v, commands: commands) } catch {
        got = error.errno
        count = error.handledCount
      }
      guard got?.name == expect else {
        throw StepFailure("expected \(expect ?? "success"), got \(got.map(\.description) ?? "success") (entry_num \(count))")
      }
      if let handled, handled != count { throw StepFailure("expected \(handled) handled entries, got \(count)") }
      return "\(got?.name ?? "success"), \(count) handled"
    case .destroy(let name, let expect):
      let objectID = try id(name)
      return try expecting(expect) { () throws(Errno) -> String in
        if ctx.object(objectID) is IOMMUFDDevice { try ctx.unbindDevice(objectID) } else { try ctx.destroy(objectID) }
        return "destroyed \(name) (id \(objectID))"
      }
    case .write(let offset, let value, let width, let initiator):
      system.device.write(value, at: offset, width: width, from: initiator)
      system.deliverInterrupts()
      return "wrote \(hex(value)) to \(hex(offset))"
    case .step(let cycles):
      system.step(cycles: cycles)
      return "cycle \(system.device.cycle)"
    case .expectRegister(let name, let offset, let width, let value, let mask):
      let got = readRegister(offset: offset, width: width)
      guard got & mask == value & mask else {
        throw StepFailure("\(name) = \(hex(got)), expected \(hex(value))\(mask == ~0 ? "" : " under mask \(hex(mask))")")
      }
      return "\(name) = \(hex(got))"
    case .expectFault(let kind, let count):
      if kind == .violation {
        collectViolations()
        unclaimedViolations.removeAll()
      }
      let faults: [String] =
        kind == .violation
        ? system.device.violations.map(\.description) : system.device.accessFaults.map(\.description)
      guard faults.count == count else {
        throw StepFailure(
          "expected \(count) \(kind.rawValue) fault(s), got \(faults.count)"
            + faults.map { "\n    \($0)" }.joined())
      }
      return "\(count) \(kind.rawValue) fault(s)" + faults.map { "\n    \($0)" }.joined()
    case .expectViolation(let rule, let count):
      return try claimViolations(rule, count: count)
    case .expectEvents(let veventq, let count, let map):
      let q = try id(veventq)
      let events: [VEvent]
      do throws(Errno) { events = try ctx.readEvents(q) } catch { throw StepFailure("read(vEVENTQ): \(error)") }
      eventsRead += events.count
      guard events.count == count else {
        throw StepFailure("expected \(count) vEVENT(s), got \(events.count): \(events.map(\.description).joined(separator: ", "))")
      }
      if let map {
        for e in events {
          guard let words = e.lvcmdqErrorMaps else { throw StepFailure("got \(e), expected a TEGRA241_CMDQV event") }
          guard words == map else {
            throw StepFailure("vEVENT lvcmdq_err_map = [\(words.map { hex($0) }.joined(separator: ", "))], expected [\(map.map { hex($0) }.joined(separator: ", "))]")
          }
        }
      }
      return "\(count) vEVENT(s)"
    case .expectCommands(let expected):
      return try checkCommands(expected)
    case .inject(let injection):
      do {
        switch injection {
        case .stuckHandshake(let e): try system.device.injectStuckHandshake(e)
        case .commandError(let code, let queue, let at): try system.device.injectCommandError(code: code, atCommand: at, on: queue)
        case .fetchAbort(let base, let length): try system.device.injectFetchAbort(base..<(base + length))
        case .stuckBit(let offset, let bit, let value): try system.device.injectStuckBit(offset: offset, bit: bit, value: value)
        case .clear: system.device.clearInjections()
        }
      } catch { throw StepFailure("\(error)") }
      return system.device.injections.last ?? "injected"
    case .close(let clean):
      let report = ctx.close()
      if clean && !report.isClean { throw StepFailure("close left objects behind: \(report)") }
      return "closed: \(report.destroyed.count) object(s) destroyed"
    }
  }

  func cerrorName(_ code: UInt8?) -> String {
    guard let code else { return "no error" }
    return ScenarioParser.commandErrorNames.first { $0.value == code }?.key ?? "0x\(String(code, radix: 16))"
  }

  /// A 64-bit register is read as two 32-bit halves (always a legal access).
  func readRegister(offset: Int, width: Int) -> UInt64 {
    let d = system.device
    if width == 64 { return d.read(at: offset, width: 32) | d.read(at: offset + 4, width: 32) << 32 }
    return d.read(at: offset, width: width)
  }

  func guestQueue(_ window: String, _ queue: Int) throws(StepFailure) -> GuestLVCMDQ {
    guard let q = guestQueues["\(window)#\(queue)"] else {
      throw StepFailure("LVCMDQ\(queue) of '\(window)' is not enabled by the guest (add a guest_enable step)")
    }
    return q
  }

  /// The guest's driver for LVCMDQ `queue` of `window`: its ring comes from
  /// the HW queue allocated for that index on the window's vIOMMU.
  func makeGuestQueue(_ windowName: String, _ queue: Int) throws(StepFailure) -> GuestLVCMDQ {
    let w = try window(windowName)
    guard let hwq = hwQueues.first(where: { $0.value.viommu == w.viommu && $0.value.index == UInt32(queue) && ids[$0.key] != nil })?.value
    else { throw StepFailure("no HW queue with index \(queue) on '\(w.viommu)'") }
    let entries = hwq.length / 16
    guard hwq.length % 16 == 0, entries != 0, entries & (entries - 1) == 0, entries.trailingZeroBitCount <= 19 else {
      throw StepFailure("HW queue length \(hex(hwq.length)) is not 16 << n bytes with n ≤ 19")
    }
    guard let hwpt = viommuHWPT[w.viommu], let ioasName = hwptIOAS[hwpt], let ioas = ids[ioasName] else {
      throw StepFailure("cannot find the IOAS behind '\(w.viommu)'")
    }
    return GuestLVCMDQ(
      window: w.window, lidx: queue, vintf: w.vintf, memory: system.guestMemory(ioas: ioas), clock: system.clock,
      queueAddress: hwq.iova, log2Size: entries.trailingZeroBitCount)
  }
}
