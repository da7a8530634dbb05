import CMDQVModel
import CMDQVRegisters
import RegisterMapKit

extension StepBuilder {
  static let maximumMapLength: UInt64 = 0x4000_0000
  /// The sum of every `map` step's length: the model backs each mapped
  /// range eagerly, so this bounds the memory a scenario can make it use.
  static let maximumBackedBytes: UInt64 = 0x4000_0000

  /// Parses the value of one action; returns the action and a title for messages.
  mutating func parseAction(_ action: String, _ node: YAMLNode, at mark: Mark) -> (ScenarioAction, String)? {
    switch action {
    case "boot":
      let f = fields(node, action, ["expect"])
      return (.boot(expect: expect(f)), "boot")
    case "note":
      guard let s = scalarValue(node, action) else { return nil }
      return (.note(s.text), "note")
    case "ioas":
      let f = fields(node, action, ["name", "expect"])
      let name = define(f, .ioas)
      return (.ioas(name: name, expect: expect(f)), "ioas \(name)")
    case "map", "unmap":
      let f = fields(node, action, action == "map" ? ["ioas", "iova", "length", "pa", "expect"] : ["ioas", "iova", "length", "expect"])
      let ioas = reference(f, "ioas", [.ioas]) ?? ""
      let iova = f.integer("iova", required: true) ?? 0
      let length = f.integer("length", required: true) ?? 0
      if action == "map" {
        let pa = f.integer("pa", required: true) ?? 0
        // The runner backs mapped host memory page by page, eagerly.
        if length > Self.maximumMapLength {
          sink.add("'length' above 0x4000_0000 (1 GiB): the model backs mapped memory page by page", at: f.keyMark("length"))
        } else if pa.addingReportingOverflow(length).overflow {
          sink.add("'pa' + 'length' overflows", at: f.keyMark("pa"))
        } else if mappedBytes + length > Self.maximumBackedBytes {
          sink.add(
            "this map brings the scenario's mapped memory to 0x\(String(mappedBytes + length, radix: 16)) bytes, above 0x4000_0000 (1 GiB) in total: the model backs mapped memory page by page",
            at: f.keyMark("length"))
        } else {
          mappedBytes += length
        }
        return (.map(ioas: ioas, iova: iova, length: length, pa: pa, expect: expect(f)), "map \(ioas)")
      }
      return (.unmap(ioas: ioas, iova: iova, length: length, expect: expect(f)), "unmap \(ioas)")
    case "bind":
      let f = fields(node, action, ["name", "sids", "expect"])
      let name = define(f, .device)
      var sids: [UInt32] = []
      if let seq = f.sequence("sids", required: true) {
        for item in seq.items {
          guard case .scalar(let s) = item else {
            sink.add("'sids' entries must be StreamIDs, found a \(item.kindName)", at: item.mark)
            continue
          }
          if let v = sink.integer(s, bits: 32) { sids.append(UInt32(v)) }
        }
      }
      return (.bind(name: name, sids: sids, expect: expect(f)), "bind \(name)")
    case "hwpt":
      let f = fields(node, action, ["name", "device", "ioas", "nest_parent", "ste", "expect"])
      let name = define(f, .hwpt)
      let device = reference(f, "device", [.device]) ?? ""
      let ioas = reference(f, "ioas", [.ioas, .hwpt, .viommu]) ?? ""
      let nest = f.bool("nest_parent") ?? false
      var ste: [UInt64]?
      if let seq = f.sequence("ste", required: false) {
        var words: [UInt64] = []
        for item in seq.items {
          guard case .scalar(let s) = item else {
            sink.add("'ste' entries must be 64-bit words, found a \(item.kindName)", at: item.mark)
            continue
          }
          if let v = sink.integer(s, bits: 64) { words.append(v) }
        }
        if words.count != 2 { sink.add("'ste' needs two words (ste[0], ste[1]), found \(seq.items.count)", at: seq.mark) }
        ste = words
      }
      return (
        .hwpt(name: name, device: device, ioas: ioas, nestParent: nest, ste: ste, expect: expect(f)), "hwpt \(name)"
      )
    case "attach":
      let f = fields(node, action, ["device", "pt", "expect"])
      let device = reference(f, "device", [.device]) ?? ""
      let pt = reference(f, "pt", [.ioas, .hwpt, .viommu]) ?? ""
      return (.attach(device: device, pt: pt, expect: expect(f)), "attach \(device)")
    case "viommu":
      let f = fields(node, action, ["name", "device", "hwpt", "expect"])
      let name = define(f, .viommu)
      let device = reference(f, "device", [.device]) ?? ""
      let hwpt = reference(f, "hwpt", [.hwpt]) ?? ""
      return (.viommu(name: name, device: device, hwpt: hwpt, expect: expect(f)), "viommu \(name)")
    case "mmap":
      let f = fields(node, action, ["name", "viommu", "offset", "length", "expect"])
      let name = define(f, .window)
      let viommu = reference(f, "viommu", [.viommu]) ?? ""
      return (
        .mmap(name: name, viommu: viommu, offset: f.integer("offset"), length: f.integer("length"), expect: expect(f)),
        "mmap \(name)"
      )
    case "munmap":
      let f = fields(node, action, ["window"])
      let window = reference(f, "window", [.window]) ?? ""
      return (.munmap(window: window), "munmap \(window)")
    case "vdevice":
      let f = fields(node, action, ["name", "viommu", "device", "virt_id", "expect"])
      let name = define(f, .vdevice)
      let viommu = reference(f, "viommu", [.viommu]) ?? ""
      let device = reference(f, "device", [.device]) ?? ""
      let virt = f.integer("virt_id", required: true) ?? 0
      return (.vdevice(name: name, viommu: viommu, device: device, virtID: virt, expect: expect(f)), "vdevice \(name)")
    case "veventq":
      let f = fields(node, action, ["name", "viommu", "depth", "expect"])
      let name = define(f, .veventq)
      let viommu = reference(f, "viommu", [.viommu]) ?? ""
      let depth = f.integer("depth", bits: 32).map { UInt32($0) } ?? 16
      return (.veventq(name: name, viommu: viommu, depth: depth, expect: expect(f)), "veventq \(name)")
    case "hw_queue":
      let f = fields(node, action, ["name", "viommu", "index", "iova", "length", "expect"])
      let name = define(f, .hwQueue)
      let viommu = reference(f, "viommu", [.viommu]) ?? ""
      let index = f.integer("index", bits: 32, required: true).map { UInt32($0) } ?? 0
      let iova = f.integer("iova", required: true) ?? 0
      let length = f.integer("length", required: true) ?? 0
      return (
        .hwQueue(name: name, viommu: viommu, index: index, iova: iova, length: length, expect: expect(f)),
        "hw_queue \(name)"
      )
    case "guest_enable":
      let f = fields(node, action, ["window", "queue", "expect"])
      let window = reference(f, "window", [.window]) ?? ""
      let q = lvcmdq(f)
      return (.guestEnable(window: window, queue: q, expect: expect(f)), "guest_enable \(window) LVCMDQ\(q)")
    case "guest_submit":
      let f = fields(node, action, ["window", "queue", "commands", "sync", "expect_error"])
      let window = reference(f, "window", [.window]) ?? ""
      let q = lvcmdq(f)
      let commands = parseCommands(f)
      var code: UInt8?
      if let s = f.scalar("expect_error", required: false), s.text != "none" {
        code = ScenarioParser.commandErrorNames[s.text]
        if code == nil {
          sink.add("unknown CERROR name '\(s.text)'; expected none, ILL, ABT, ATC_INV_SYNC or ILL_ACCESS", at: s.mark)
        }
      }
      return (
        .guestSubmit(window: window, queue: q, commands: commands, sync: f.bool("sync") ?? true, expectError: code),
        "guest_submit \(window) LVCMDQ\(q)"
      )
    case "guest_ack":
      let f = fields(node, action, ["window", "queue"])
      let window = reference(f, "window", [.window]) ?? ""
      let q = lvcmdq(f)
      return (.guestAck(window: window, queue: q), "guest_ack \(window) LVCMDQ\(q)")
    case "host_issue":
      let f = fields(node, action, ["commands", "cpu", "sync", "expect"])
      let commands = parseCommands(f)
      let cpu = f.int("cpu", in: 0...4095) ?? 0
      return (.hostIssue(commands: commands, cpu: cpu, sync: f.bool("sync") ?? true, expect: expect(f)), "host_issue")
    case "invalidate":
      let f = fields(node, action, ["viommu", "commands", "expect", "handled"])
      let viommu = reference(f, "viommu", [.viommu]) ?? ""
      let commands = parseCommands(f)
      let handled = f.int("handled", in: 0...1_000_000)
      return (.invalidate(viommu: viommu, commands: commands, expect: expect(f), handled: handled), "invalidate \(viommu)")
    case "destroy":
      let f = fields(node, action, ["name", "expect"])
      let name = reference(f, "name", [.ioas, .device, .hwpt, .viommu, .vdevice, .veventq, .hwQueue]) ?? ""
      return (.destroy(name: name, expect: expect(f)), "destroy \(name)")
    case "write":
      return parseWrite(node)
    case "step":
      guard let s = scalarValue(node, action), let n = sink.int(s, in: 0...1_000_000_000, what: "'step'") else { return nil }
      return (.step(cycles: n), "step \(n)")
    case "expect_register":
      return parseExpectRegister(node)
    case "expect_fault":
      let f = fields(node, action, ["kind", "count"])
      var kind = ScenarioAction.FaultKind.access
      if let s = f.scalar("kind", required: true) {
        if let k = ScenarioAction.FaultKind(rawValue: s.text) { kind = k } else if s.text == "ordering" {
          sink.add("fault kind 'ordering' is now two rules: use 'expect_violation: LVCMDQ-MAP-ASCENDING' (or LVCMDQ-UNMAP-DESCENDING)", at: s.mark)
        } else {
          sink.add("unknown fault kind '\(s.text)'; expected access or violation", at: s.mark)
        }
      }
      let count = f.int("count", in: 0...1_000_000_000, required: true) ?? 0
      return (.expectFault(kind: kind, count: count), "expect_fault \(kind.rawValue)")
    case "expect_violation":
      return parseExpectViolation(node)
    case "expect_events":
      let f = fields(node, action, ["veventq", "count", "lvcmdq_err_map"])
      let q = reference(f, "veventq", [.veventq]) ?? ""
      let count = f.int("count", in: 0...1_000_000, required: true) ?? 0
      var map: [UInt64]?
      if let seq = f.sequence("lvcmdq_err_map") {
        let values = seq.items.compactMap { item -> UInt64? in
          guard case .scalar(let s) = item else {
            sink.add("'lvcmdq_err_map' entries must be integers, found a \(item.kindName)", at: item.mark)
            return nil
          }
          return sink.integer(s, bits: 64)
        }
        if seq.items.count != 2 {
          sink.add("'lvcmdq_err_map' has two 64-bit words (LVCMDQs 0-63, 64-127), found \(seq.items.count)", at: seq.mark)
        }
        map = values
      }
      return (.expectEvents(veventq: q, count: count, lvcmdqErrMap: map), "expect_events \(q)")
    case "expect_commands":
      return (.expectCommands(parseCommandExpectations(node)), "expect_commands")
    case "inject":
      return parseInject(node).map { (.inject($0), "inject") }
    case "close":
      let f = fields(node, action, ["clean"])
      return (.close(clean: f.bool("clean") ?? true), "close")
    default:
      return nil
    }
  }

  func parseWrite(_ node: YAMLNode) -> (ScenarioAction, String)? {
    let f = fields(node, "write", ["offset", "value", "width", "as"])
    let width = f.scalar("width", required: false).flatMap { s -> Int? in
      guard let v = sink.integer(s, bits: 8) else { return nil }
      guard v == 32 || v == 64 else {
        sink.add("'width' must be 32 or 64, got \(s.text)", at: s.mark)
        return nil
      }
      return Int(v)
    } ?? 32
    let offset = f.int("offset", in: 0...0x7FF_FFFF, required: true) ?? 0
    let value = f.integer("value", bits: width, required: true) ?? 0
    var initiator = Initiator.host
    if let s = f.scalar("as", required: false) {
      if s.text == "host" {
        initiator = .host
      } else if s.text.hasPrefix("guest:"), let v = Int(s.text.dropFirst(6)), (0..<configuration.numVINTFs).contains(v) {
        initiator = .guest(vintf: v)
      } else {
        sink.add(
          "'as' must be host or guest:N with N a VINTF index below \(configuration.numVINTFs), got '\(s.text)'", at: s.mark)
      }
    }
    return (.write(offset: offset, value: value, width: width, initiator: initiator), "write 0x\(String(offset, radix: 16))")
  }

  mutating func parseExpectRegister(_ node: YAMLNode) -> (ScenarioAction, String)? {
    let f = fields(node, "expect_register", ["name", "offset", "value", "mask"])
    var instance: RegisterInstance?
    if let s = f.scalar("name", required: false) {
      instance = registers.instance(named: s.text)
      if instance == nil {
        sink.add("unknown register '\(s.text)' in this device's map (try `cmdqv regs \(s.text.prefix(6))`)", at: s.mark)
      }
      if f.has("offset") { sink.add("give either 'name' or 'offset', not both", at: f.keyMark("offset")) }
    } else if let s = f.scalar("offset", required: false), let v = sink.int(s, in: 0...0x7FF_FFFF, what: "'offset'") {
      instance = registers.layout.decode(offset: v)
      if instance == nil { sink.add("no register at offset \(s.text)", at: s.mark) }
    } else if !f.has("offset") {
      sink.add("'expect_register' needs 'name' or 'offset'", at: f.mark)
    }
    let value = f.integer("value", required: true) ?? 0
    let mask = f.integer("mask") ?? ~0
    guard let instance else { return nil }
    let width = instance.halfOffset == 0 ? instance.info.width : 32
    return (
      .expectRegister(name: instance.accessName, offset: instance.offset + instance.halfOffset, width: width, value: value, mask: mask),
      "expect_register \(instance.accessName)"
    )
  }

  /// `VINTFn/LVCMDQm` within this device's shape (which VCMDQ it names is
  /// resolved through CMDQ_ALLOC when the step runs).
  func logicalQueueName(_ text: String) -> (Int, Int)? {
    let parts = text.split(separator: "/")
    guard parts.count == 2, parts[0].hasPrefix("VINTF"), parts[1].hasPrefix("LVCMDQ"),
      let v = Int(parts[0].dropFirst(5)), let l = Int(parts[1].dropFirst(6)),
      (0..<configuration.numVINTFs).contains(v), (0..<configuration.numLVCMDQsPerVINTF).contains(l)
    else { return nil }
    return (v, l)
  }

  func parseInject(_ node: YAMLNode) -> ScenarioInjection? {
    let f = fields(node, "inject", ["stuck_handshake", "command_error", "queue", "at", "fetch_abort", "length", "stuck_bit", "offset", "value", "clear"])
    let kinds = ["stuck_handshake", "command_error", "fetch_abort", "stuck_bit", "clear"].filter { f.has($0) }
    guard kinds.count == 1 else {
      sink.add("'inject' takes exactly one of stuck_handshake, command_error, fetch_abort, stuck_bit, clear", at: f.mark)
      return nil
    }
    switch kinds[0] {
    case "stuck_handshake":
      guard let s = f.scalar("stuck_handshake", required: true) else { return nil }
      let t = s.text.uppercased()
      if let (v, l) = logicalQueueName(t) { return .stuckHandshake(.lvcmdq(vintf: v, lvcmdq: l)) }
      if t == "CMDQV" { return .stuckHandshake(.cmdqv) }
      if t == "SMMU_CR0" { return .stuckHandshake(.smmuCR0) }
      if t.hasPrefix("VINTF"), let v = Int(t.dropFirst(5)), (0..<configuration.numVINTFs).contains(v) {
        return .stuckHandshake(.vintf(v))
      }
      if t.hasPrefix("VCMDQ"), let v = Int(t.dropFirst(5)), (0..<configuration.numVCMDQs).contains(v) {
        return .stuckHandshake(.vcmdq(v))
      }
      sink.add(
        "unknown handshake '\(s.text)'; expected CMDQV, SMMU_CR0, VINTFn, VCMDQn or VINTFn/LVCMDQm of this device", at: s.mark)
    case "command_error":
      guard let s = f.scalar("command_error", required: true) else { return nil }
      var code = ScenarioParser.commandErrorNames[s.text]
      if code == nil, let v = try? s.integer(bits: 7), v >= 1 { code = UInt8(v) }
      if code == nil { sink.add("unknown CERROR '\(s.text)'; expected ILL, ABT, ATC_INV_SYNC, ILL_ACCESS or 1...127", at: s.mark) }
      var queue = QueueSelector.smmuCMDQ
      if let q = f.scalar("queue", required: true) {
        let t = q.text.uppercased()
        if t == "SMMU_CMDQ" {
          queue = .smmuCMDQ
        } else if let (v, l) = logicalQueueName(t) {
          queue = .lvcmdq(vintf: v, lvcmdq: l)
        } else if t.hasPrefix("VCMDQ"), let v = Int(t.dropFirst(5)), (0..<configuration.numVCMDQs).contains(v) {
          queue = .vcmdq(v)
        } else {
          sink.add("unknown queue '\(q.text)'; expected SMMU_CMDQ, VCMDQn or VINTFn/LVCMDQm of this device", at: q.mark)
        }
      }
      let at = f.int("at", in: 1...1_000_000) ?? 1
      return code.map { .commandError(code: $0, queue: queue, at: at) }
    case "fetch_abort":
      let base = f.integer("fetch_abort", required: true) ?? 0
      let length = f.integer("length", required: true) ?? 0
      if length == 0 || base.addingReportingOverflow(length).overflow {
        sink.add("'length' must be non-zero and base + length must not overflow", at: f.keyMark("length"))
      }
      return .fetchAbort(base: base, length: length)
    case "stuck_bit":
      let bit = f.int("stuck_bit", in: 0...31, required: true) ?? 0
      let offset = f.int("offset", in: 0...0x7FF_FFFF, required: true) ?? 0
      let value = f.int("value", in: 0...1, required: true) ?? 0
      return .stuckBit(offset: offset, bit: bit, value: value == 1)
    default:
      return .clear
    }
    return nil
  }
}
