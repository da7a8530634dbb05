extension TraceRecord {
  /// The JSON Lines schema version written as the first key of every record.
  public static let schemaVersion = 1

  /// One JSON object on one line (no trailing newline), keys in a fixed order:
  /// `v`, `seq`, `cycle`, `kind`, then the optional keys in
  /// ``TraceRecord/jsonKeyOrder`` order, each only when set. 64-bit register
  /// values, dwords and addresses are hex strings (`"0x…"`) because many JSON
  /// readers hold numbers as doubles and lose bits above 2^53.
  public var jsonLine: String {
    var out = "{\"v\":\(Self.schemaVersion),\"seq\":\(seq),\"cycle\":\(cycle),\"kind\":\"\(kind.rawValue)\""
    func str(_ key: String, _ v: String?) {
      guard let v else { return }
      out += ",\"\(key)\":"
      Self.appendJSONString(v, to: &out)
    }
    func int(_ key: String, _ v: Int?) { if let v { out += ",\"\(key)\":\(v)" } }
    func hex(_ key: String, _ v: UInt64?) { if let v { out += ",\"\(key)\":\"\(Hex.minimal(v))\"" } }
    str("initiator", initiator)
    str("map", map)
    str("aperture", aperture)
    int("offset", offset)
    int("width", width)
    hex("value", value)
    hex("old", old)
    hex("new", new)
    str("reg", reg)
    int("vcmdq", vcmdq)
    if let fields {
      out += ",\"fields\":["
      for (i, f) in fields.enumerated() {
        if i > 0 { out += "," }
        Self.appendJSONString(f, to: &out)
      }
      out += "]"
    }
    if let accepted { out += ",\"accepted\":\(accepted)" }
    str("queue", queue)
    int("vintf", vintf)
    int("lvcmdq", lvcmdq)
    int("cons", cons)
    str("op", op)
    if let dwords { out += ",\"dwords\":[" + dwords.map { "\"\(Hex.minimal($0))\"" }.joined(separator: ",") + "]" }
    int("sid", sid)
    int("vsid", vsid)
    int("vmid", vmid)
    int("asid", asid)
    hex("addr", addr)
    int("code", code)
    str("code_name", codeName)
    str("reason", reason)
    str("entity", entity)
    str("property", property)
    str("dir", direction)
    str("desc", desc)
    str("line", line)
    int("count", count)
    str("cause", cause)
    str("text", text)
    str("rule", rule)
    str("source", source)
    out += "}"
    return out
  }

  /// Every key the writer can emit, in emission order (the schema table in
  /// `Docs/Tracing.md` follows it). New keys are only ever appended.
  public static let jsonKeyOrder: [String] = [
    "v", "seq", "cycle", "kind", "initiator", "map", "aperture", "offset", "width", "value", "old", "new", "reg",
    "vcmdq", "fields", "accepted", "queue", "vintf", "lvcmdq", "cons", "op", "dwords", "sid", "vsid", "vmid",
    "asid", "addr", "code", "code_name", "reason", "entity", "property", "dir", "desc", "line", "count",
    "cause", "text", "rule", "source",
  ]

  /// Appends `s` as a JSON string: quotes, backslashes and control characters
  /// escaped, everything else as UTF-8.
  static func appendJSONString(_ s: String, to out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let h = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
  }
}
