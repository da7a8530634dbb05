extension TraceRecord {
  /// The JSON Lines schema version written as the first key of every record.
  public static let schemaVersion = 2
  /// The versions ``JSONLinesReader`` reads.
  public static let readableSchemaVersions: ClosedRange<UInt64> = 1...2

  /// One JSON object on one line (no trailing newline), keys in a fixed order:
  /// `v`, `seq`, `cycle`, `kind`, then the optional keys in
  /// ``TraceRecord/jsonKeyOrder`` order, each only when set. Register values,
  /// dwords, addresses, offsets and IDs (StreamIDs, VMIDs, ASIDs) are hex
  /// strings (`"0x…"`): readers that hold numbers as doubles lose bits above
  /// 2^53, and hex is how the rest of the trace spells them.
  public var jsonLine: String {
    var line = TraceBytes()
    defer { line.deallocate() }
    encodeJSON(into: &line)
    return line.string
  }

  /// Appends ``jsonLine``'s bytes to `out`.
  func encodeJSON(into out: inout TraceBytes) {
    out.jsonHead(seq: seq, cycle: cycle, kind: kind)
    if let initiator { out.key("initiator"); out.jsonString(initiator) }
    if let map { out.key("map"); out.jsonString(map) }
    if let aperture { out.key("aperture"); out.jsonString(aperture) }
    if let offset { out.key("offset"); out.jsonHex(UInt64(truncatingIfNeeded: offset)) }
    if let width { out.key("width"); out.decimal(width) }
    if let value { out.key("value"); out.jsonHex(value) }
    if let old { out.key("old"); out.jsonHex(old) }
    if let new { out.key("new"); out.jsonHex(new) }
    if let reg { out.key("reg"); out.jsonString(reg) }
    if let vcmdq { out.key("vcmdq"); out.decimal(vcmdq) }
    if let fields {
      out.key("fields")
      out.byte(0x7B)
      for (i, f) in fields.enumerated() { out.jsonField(first: i == 0, name: f.name, old: f.old, new: f.new) }
      out.byte(0x7D)
    }
    if let accepted { out.key("accepted"); accepted ? out.text("true") : out.text("false") }
    if let queue { out.key("queue"); out.jsonString(queue) }
    if let vintf { out.key("vintf"); out.decimal(vintf) }
    if let lvcmdq { out.key("lvcmdq"); out.decimal(lvcmdq) }
    if let cons { out.key("cons"); out.decimal(cons) }
    if let op { out.key("op"); out.jsonString(op) }
    if let dwords {
      out.key("dwords")
      out.byte(0x5B)
      for (i, d) in dwords.enumerated() {
        if i > 0 { out.byte(0x2C) }
        out.jsonHex(d)
      }
      out.byte(0x5D)
    }
    if let sid { out.key("sid"); out.jsonHex(UInt64(truncatingIfNeeded: sid)) }
    if let vsid { out.key("vsid"); out.jsonHex(UInt64(truncatingIfNeeded: vsid)) }
    if let vmid { out.key("vmid"); out.jsonHex(UInt64(truncatingIfNeeded: vmid)) }
    if let asid { out.key("asid"); out.jsonHex(UInt64(truncatingIfNeeded: asid)) }
    if let addr { out.key("addr"); out.jsonHex(addr) }
    if let code { out.key("code"); out.decimal(code) }
    if let codeName { out.key("code_name"); out.jsonString(codeName) }
    if let reason { out.key("reason"); out.jsonString(reason) }
    if let entity { out.key("entity"); out.jsonString(entity) }
    if let property { out.key("property"); out.jsonString(property) }
    if let direction { out.key("dir"); out.jsonString(direction) }
    if let desc { out.key("desc"); out.jsonString(desc) }
    if let line { out.key("line"); out.jsonString(line) }
    if let count { out.key("count"); out.decimal(count) }
    if let cause { out.key("cause"); out.jsonString(cause) }
    if let text { out.key("text"); out.jsonString(text) }
    if let rule { out.key("rule"); out.jsonString(rule) }
    if let source { out.key("source"); out.jsonString(source) }
    if let step { out.key("step"); out.decimal(step) }
    if let action { out.key("action"); out.jsonString(action) }
    if let src { out.key("src"); out.jsonString(src) }
    out.byte(0x7D)
  }

  /// Every key the writer can emit, in emission order (the schema table in
  /// `Docs/Tracing.md` follows it). New keys are only ever appended.
  public static let jsonKeyOrder: [String] = [
    "v", "seq", "cycle", "kind", "initiator", "map", "aperture", "offset", "width", "value", "old", "new", "reg",
    "vcmdq", "fields", "accepted", "queue", "vintf", "lvcmdq", "cons", "op", "dwords", "sid", "vsid", "vmid",
    "asid", "addr", "code", "code_name", "reason", "entity", "property", "dir", "desc", "line", "count",
    "cause", "text", "rule", "source", "step", "action", "src",
  ]

  /// Appends `s` as a JSON string: quotes, backslashes and control characters
  /// escaped, everything else as UTF-8.
  static func appendJSONString(_ s: String, to out: inout String) {
    var bytes = TraceBytes(capacity: s.utf8.count + 2)
    defer { bytes.deallocate() }
    bytes.jsonString(s)
    out += bytes.string
  }
}

extension TraceBytes {
  /// `{"v":2,"seq":…,"cycle":…,"kind":"…"`.
  mutating func jsonHead(seq: UInt64, cycle: UInt64, kind: TraceKind) {
    jsonSequenceAndCycle(seq: seq, cycle: cycle)
    text(",\"kind\":\"")
    kindName(kind)
    byte(0x22)
  }

  /// `{"v":2,"seq":…,"cycle":…`.
  mutating func jsonSequenceAndCycle(seq: UInt64, cycle: UInt64) {
    text("{\"v\":")
    decimal(UInt64(TraceRecord.schemaVersion))
    text(",\"seq\":")
    decimal(seq)
    text(",\"cycle\":")
    decimal(cycle)
  }

  /// ``TraceKind/rawValue`` as a literal (no `String` per record).
  mutating func kindName(_ kind: TraceKind) {
    switch kind {
    case .mmioRead: text("mmio_r")
    case .mmioWrite: text("mmio_w")
    case .command: text("cmd")
    case .commandError: text("cmd_err")
    case .state: text("state")
    case .fault: text("fault")
    case .violation: text("violation")
    case .irq: text("irq")
    case .inject: text("inject")
    case .note: text("note")
    case .step: text("step")
    }
  }


  /// `"NAME":{"old":"0x…","new":"0x…"}`, comma-separated after the first.
  mutating func jsonField(first: Bool, name: String, old: UInt64, new: UInt64) {
    if !first { byte(0x2C) }
    jsonString(name)
    text(":{\"old\":")
    jsonHex(old)
    text(",\"new\":")
    jsonHex(new)
    byte(0x7D)
  }
}
