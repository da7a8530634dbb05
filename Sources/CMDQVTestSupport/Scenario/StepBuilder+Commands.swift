import CMDQVRegisters
import RegisterMapKit

extension StepBuilder {
  static let commandKeys = ["op", "asid", "vmid", "sid", "ssid", "addr", "cs", "leaf", "size", "global", "raw"]

  func opcode(_ s: YAMLScalar) -> CommandOpcode? {
    if let op = CommandOpcode.allCases.first(where: { $0.mnemonic.caseInsensitiveCompare(s.text) == .orderedSame }) {
      return op
    }
    sink.add(
      "unknown command '\(s.text)'; expected one of: \(CommandOpcode.allCases.map(\.mnemonic).joined(separator: ", "))",
      at: s.mark)
    return nil
  }

  /// `commands:` — a sequence of `- op: NAME` mappings (or `raw: [d0, d1]`).
  func parseCommands(_ f: ScenarioFields) -> [SMMUCommand] {
    guard let seq = f.sequence("commands", required: true) else { return [] }
    return seq.items.compactMap(parseCommand)
  }

  func parseCommand(_ node: YAMLNode) -> SMMUCommand? {
    let f = ScenarioFields(node, context: "a command", allowed: Self.commandKeys, sink: sink)
    if let raw = f.sequence("raw") {
      if let other = f.mapping.entries.first(where: { $0.key.text != "raw" }) {
        sink.add("'raw' gives both dwords; it cannot be combined with '\(other.key.text)'", at: other.key.mark)
      }
      let words = raw.items.compactMap { item -> UInt64? in
        guard case .scalar(let s) = item else {
          sink.add("'raw' entries must be integers", at: item.mark)
          return nil
        }
        return sink.integer(s, bits: 64)
      }
      guard raw.items.count == 2 else {
        sink.add("'raw' takes two 64-bit dwords [dword0, dword1], found \(raw.items.count)", at: raw.mark)
        return nil
      }
      return words.count == 2 ? SMMUCommand(dword0: words[0], dword1: words[1]) : nil
    }
    guard let opScalar = f.scalar("op", required: true), let op = opcode(opScalar) else { return nil }
    var d0 = UInt64(op.rawValue)
    var d1: UInt64 = 0
    if let sid = f.integer("sid", bits: 32) { d0 |= sid << 32 }
    if let vmid = f.integer("vmid", bits: 16) {
      if f.has("sid") { sink.add("'vmid' and 'sid' share dword0[47:32]; give one", at: f.keyMark("vmid")) }
      d0 |= vmid << 32
    }
    if let asid = f.integer("asid", bits: 16) { d0 |= asid << 48 }
    if let ssid = f.integer("ssid", bits: 20) { d0 |= 1 << 11 | ssid << 12 }
    if let cs = f.integer("cs", bits: 2) { d0 |= cs << 12 }
    if f.bool("global") == true { d0 |= 1 << 9 }
    if let addr = f.scalar("addr", required: false), let v = sink.integer(addr, bits: 64) {
      if v & 0xFFF != 0 { sink.add("'addr' must be 4 KiB aligned (ADDR is dword1[63:12]), got \(addr.text)", at: addr.mark) }
      d1 |= v & ~0xFFF
    }
    if let size = f.integer("size", bits: 6) { d1 |= size }
    // Leaf defaults on for the commands the kernel issues with it set.
    let leafByDefault: Set<CommandOpcode> = [.cfgiSTE, .cfgiCD, .tlbiNHVA, .tlbiNHVAA, .tlbiS2IPA]
    if f.bool("leaf") ?? leafByDefault.contains(op) { d1 |= 1 }
    return SMMUCommand(dword0: d0, dword1: d1)
  }

  /// `expect_commands:` — a sequence (possibly `[]`) of matchers; `nil` for
  /// a bare `expect_commands:` (accept whatever ran, restart from here).
  func parseCommandExpectations(_ node: YAMLNode) -> [CommandExpectation]? {
    if case .scalar(let s) = node, s.text.isEmpty, s.style == .plain { return nil }
    guard case .sequence(let seq) = node else {
      sink.add("'expect_commands' takes a sequence of '- op: NAME' entries (or []), found a \(node.kindName)", at: node.mark)
      return []
    }
    return seq.items.compactMap { item in
      let f = ScenarioFields(item, context: "an expected command", allowed: ["op", "sid", "vsid", "vmid", "asid", "addr", "source"], sink: sink)
      var e = CommandExpectation()
      if let s = f.scalar("op", required: false) { e.op = opcode(s) }
      e.sid = f.integer("sid", bits: 32).map { UInt32($0) }
      e.vsid = f.integer("vsid", bits: 32).map { UInt32($0) }
      if let s = f.scalar("vmid", required: false) {
        if let first = s.text.unicodeScalars.first, ("0"..."9").contains(first) {
          e.vmid = sink.integer(s, bits: 16).map { .value(UInt16($0)) }
        } else {
          e.vmid = reference(f, "vmid", [.hwpt]).map { .hwpt($0) }
        }
      }
      e.asid = f.integer("asid", bits: 16).map { UInt16($0) }
      e.addr = f.integer("addr")
      e.source = f.string("source")
      return e
    }
  }
}
