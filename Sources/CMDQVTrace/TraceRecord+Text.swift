import Foundation

extension TraceRecord {
  /// The one-line text rendering (no trailing newline): `#seq @cycle KIND …`.
  /// The text writer writes exactly this, so `read JSONL + render` reproduces
  /// a text trace. Free text is kept on one line (`\n` is escaped).
  public var textLine: String {
    var s = "#\(seq) @\(cycle) "
    switch kind {
    case .mmioRead, .mmioWrite:
      s += kind == .mmioRead ? "R " : "W "
      s += accessText
      if let vcmdq { s += " -> VCMDQ\(vcmdq)" }
      if let old, let new { s += " \(Hex.minimal(old))->\(Hex.minimal(new))" }
      if let fields, !fields.isEmpty { s += " {" + fields.joined(separator: ", ") + "}" }
      if accepted == false { s += " ignored" }
    case .command:
      s += "CMD \(queueText) \(op ?? "?")"
      if let sid { s += " sid=\(Hex.minimal(sid))" }
      if let vsid { s += " (vSID \(Hex.minimal(vsid)))" }
      if let vmid { s += " vmid=\(Hex.minimal(vmid))" }
      if let asid { s += " asid=\(Hex.minimal(asid))" }
      if let addr { s += " addr=\(Hex.minimal(addr))" }
      s += dwordsText
    case .commandError:
      s += "CERR \(queueText) CERROR_\(codeName ?? "?"): \(Self.oneLine(reason ?? ""))"
      if let op { s += " (\(op)\(dwordsText))" }
    case .state:
      s += "STATE \(entity ?? "?").\(property ?? "?") \(Hex.minimal(old ?? 0))->\(Hex.minimal(new ?? 0))"
    case .fault:
      s += "FAULT access fault [\(reason ?? "?")]: \(direction == "r" ? "R" : "W") \(accessText)"
    case .violation:
      s += "VIOLATION \(rule ?? "?"): \(Self.oneLine(desc ?? ""))"
      if offset != nil { s += " at W \(accessText)" } else if let addr { s += " at memory write of \(count ?? 0) bytes at \(Hex.minimal(addr))" }
      if let source { s += " [\(Self.oneLine(source))]" }
    case .irq:
      s += "IRQ \(line ?? "?") #\(count ?? 0): \(Self.oneLine(cause ?? ""))"
    case .inject:
      s += "INJECT \(Self.oneLine(text ?? ""))"
    case .note:
      s += "# \(Self.oneLine(text ?? ""))"
    }
    return s
  }

  /// `host config 0x1100 w32 0x00000001 VINTF1_CONFIG`.
  private var accessText: String {
    let w = width ?? 0
    let v = value ?? 0
    let valueText = w > 0 && w % 4 == 0 ? Hex.padded(v, digits: w / 4) : Hex.minimal(v)
    return "\(initiator ?? "?") \(aperture ?? "?") \(Hex.minimal(offset ?? 0)) w\(w) \(valueText) \(reg ?? "-")"
  }

  /// `VINTF1/VCMDQ2/LVCMDQ0 [3]`.
  private var queueText: String { "\(queue ?? "?") [\(cons ?? 0)]" }

  /// ` [0x…16 0x…16]`, empty without dwords.
  private var dwordsText: String {
    guard let dwords, !dwords.isEmpty else { return "" }
    return " [" + dwords.map { Hex.padded($0, digits: 16) }.joined(separator: " ") + "]"
  }

  static func oneLine(_ s: String) -> String {
    guard s.contains(where: { $0.isNewline }) else { return s }
    return s.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
  }
}
