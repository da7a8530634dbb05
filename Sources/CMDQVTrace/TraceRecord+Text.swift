import CMDQVRegisters

extension TraceRecord {
  /// The one-line text rendering (no trailing newline): `#seq @cycle KIND …`.
  /// The text writer writes exactly this, so `read JSONL + render` reproduces
  /// a text trace. Free text is kept on one line (`\n` is escaped).
  public var textLine: String {
    var line = TraceBytes()
    defer { line.deallocate() }
    encodeText(into: &line)
    return line.string
  }

  /// Appends ``textLine``'s bytes to `out`.
  func encodeText(into out: inout TraceBytes) {
    out.textHead(seq: seq, cycle: cycle)
    switch kind {
    case .mmioRead, .mmioWrite:
      out.text(kind == .mmioRead ? "R " : "W ")
      encodeAccess(into: &out)
      if let vcmdq { out.text(" -> VCMDQ"); out.decimal(vcmdq) }
      if let old, let new {
        out.byte(0x20)
        out.hex(old)
        out.text("->")
        out.hex(new)
      }
      if let fields, !fields.isEmpty {
        out.text(" {")
        for (i, f) in fields.enumerated() {
          if i > 0 { out.text(", ") }
          out.textField(name: f.name, old: f.old, new: f.new, info: fieldInfo(named: f.name))
        }
        out.byte(0x7D)
      }
      if accepted == false { out.text(" ignored") }
    case .command:
      out.text("CMD ")
      encodeQueue(into: &out)
      out.byte(0x20)
      out.utf8(op ?? "?")
      if let sid { out.text(" sid="); out.hex(UInt64(truncatingIfNeeded: sid)) }
      if let vsid { out.text(" (vSID "); out.hex(UInt64(truncatingIfNeeded: vsid)); out.byte(0x29) }
      if let vmid { out.text(" vmid="); out.hex(UInt64(truncatingIfNeeded: vmid)) }
      if let asid { out.text(" asid="); out.hex(UInt64(truncatingIfNeeded: asid)) }
      if let addr { out.text(" addr="); out.hex(addr) }
      if let dwords { out.textDwords(dwords) }
    case .commandError:
      out.text("CERR ")
      encodeQueue(into: &out)
      out.text(" CERROR_")
      out.utf8(codeName ?? "?")
      out.text(": ")
      out.oneLine(reason ?? "")
      if let op {
        out.text(" (")
        out.utf8(op)
        if let dwords { out.textDwords(dwords) }
        out.byte(0x29)
      }
    case .state:
      out.textState(entity: entity ?? "?", property: property ?? "?", old: old ?? 0, new: new ?? 0)
    case .fault:
      out.text("FAULT access fault [")
      out.utf8(reason ?? "?")
      out.text("]: ")
      out.text(direction == "r" ? "R " : "W ")
      encodeAccess(into: &out)
    case .violation:
      out.text("VIOLATION ")
      out.utf8(rule ?? "?")
      out.text(": ")
      out.oneLine(desc ?? "")
      if offset != nil {
        out.text(" at W ")
        encodeAccess(into: &out)
      } else if let addr {
        out.text(" at memory write of ")
        out.decimal(count ?? 0)
        out.text(" bytes at ")
        out.hex(addr)
      }
      if let source {
        out.text(" [")
        out.oneLine(source)
        out.byte(0x5D)
      }
    case .irq:
      out.text("IRQ ")
      out.utf8(line ?? "?")
      out.text(" #")
      out.decimal(count ?? 0)
      out.text(": ")
      out.oneLine(cause ?? "")
    case .inject:
      out.text("INJECT ")
      out.oneLine(text ?? "")
    case .note:
      out.text("# ")
      out.oneLine(text ?? "")
    case .step:
      out.text("STEP ")
      out.decimal(step ?? 0)
      out.byte(0x20)
      out.oneLine(action ?? "")
      if let src, !src.isEmpty {
        out.text(" (")
        out.oneLine(src)
        out.byte(0x29)
      }
    }
  }

  /// `host config 0x1100 w32 0x00000001 VINTF1_CONFIG`.
  private func encodeAccess(into out: inout TraceBytes) {
    out.textAccess(
      initiator: initiator ?? "?", aperture: aperture ?? "?", offset: UInt64(truncatingIfNeeded: offset ?? 0),
      width: width ?? 0, value: value ?? 0, reg: reg ?? "-")
  }

  /// `VINTF1/VCMDQ2/LVCMDQ0 [3]`.
  private func encodeQueue(into out: inout TraceBytes) {
    out.utf8(queue ?? "?")
    out.text(" [")
    out.decimal(cons ?? 0)
    out.byte(0x5D)
  }

  static func oneLine(_ s: String) -> String {
    var bytes = TraceBytes(capacity: s.utf8.count)
    defer { bytes.deallocate() }
    bytes.oneLine(s)
    return bytes.string
  }
}

extension TraceBytes {
  /// `#seq @cycle `.
  mutating func textHead(seq: UInt64, cycle: UInt64) {
    byte(0x23)
    decimal(seq)
    text(" @")
    decimal(cycle)
    byte(0x20)
  }

  mutating func textAccess(initiator: String, aperture: String, offset: UInt64, width: Int, value: UInt64, reg: String) {
    utf8(initiator)
    byte(0x20)
    utf8(aperture)
    byte(0x20)
    hex(offset)
    text(" w")
    decimal(width)
    byte(0x20)
    if width > 0 && width % 4 == 0 { paddedHex(value, digits: width / 4) } else { hex(value) }
    byte(0x20)
    utf8(reg)
  }

  /// `NAME: old->new`, one-bit fields as `0`/`1`, wider ones in hex, with the
  /// enumeration name when the value has one (hex when the field is unknown).
  mutating func textField(name: String, old: UInt64, new: UInt64, info: FieldInfo?) {
    utf8(name)
    text(": ")
    fieldValue(old, info)
    text("->")
    fieldValue(new, info)
  }

  private mutating func fieldValue(_ v: UInt64, _ field: FieldInfo?) {
    if field?.width == 1 { decimal(v) } else { hex(v) }
    if let name = field?.enumeration?.name(of: v) {
      byte(0x28)
      utf8(name)
      byte(0x29)
    }
  }

  /// ` [0x…16 0x…16]`, nothing without dwords.
  mutating func textDwords(_ dwords: [UInt64]) {
    guard !dwords.isEmpty else { return }
    text(" [")
    for (i, d) in dwords.enumerated() {
      if i > 0 { byte(0x20) }
      paddedHex(d, digits: 16)
    }
    byte(0x5D)
  }

  mutating func textState(entity: String, property: String, old: UInt64, new: UInt64) {
    text("STATE ")
    utf8(entity)
    byte(0x2E)
    utf8(property)
    byte(0x20)
    hex(old)
    text("->")
    hex(new)
  }
}
