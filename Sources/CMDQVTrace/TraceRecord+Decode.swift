extension TraceRecord {
  /// Decodes one parsed JSON Lines record. Unknown keys are ignored (newer
  /// writers only add keys); a wrong type, a bad hex string, a missing
  /// `seq`/`cycle`/`kind` or an unsupported `v` is an error at its column.
  init(json: JSONValue) throws(JSONSyntaxError) {
    guard case .object(let members, let objectColumn) = json else {
      throw JSONSyntaxError(column: json.column, message: "expected a JSON object, found \(json.typeName)")
    }
    var byKey: [String: JSONValue] = [:]
    for (key, keyColumn, value) in members {
      if byKey[key] != nil { throw JSONSyntaxError(column: keyColumn, message: "duplicate key \"\(key)\"") }
      byKey[key] = value
    }
    func missing(_ key: String) -> JSONSyntaxError {
      JSONSyntaxError(column: objectColumn, message: "missing required key \"\(key)\"")
    }
    func wrongType(_ key: String, _ v: JSONValue, _ expected: String) -> JSONSyntaxError {
      JSONSyntaxError(column: v.column, message: "key \"\(key)\" must be \(expected), found \(v.typeName)")
    }
    func uint(_ key: String) throws(JSONSyntaxError) -> UInt64? {
      guard let v = byKey[key] else { return nil }
      guard case .number(let text, let col) = v else { throw wrongType(key, v, "an integer") }
      guard let n = UInt64(text) else {
        throw JSONSyntaxError(column: col, message: "key \"\(key)\" must be a non-negative integer, found \(text)")
      }
      return n
    }
    func int(_ key: String) throws(JSONSyntaxError) -> Int? {
      guard let n = try uint(key) else { return nil }
      guard n <= UInt64(Int.max) else {
        throw JSONSyntaxError(column: byKey[key]!.column, message: "key \"\(key)\" is out of range")
      }
      return Int(n)
    }
    func str(_ key: String) throws(JSONSyntaxError) -> String? {
      guard let v = byKey[key] else { return nil }
      guard case .string(let s, _) = v else { throw wrongType(key, v, "a string") }
      return s
    }
    func hexValue(_ key: String, _ v: JSONValue) throws(JSONSyntaxError) -> UInt64 {
      guard case .string(let s, let col) = v else { throw wrongType(key, v, "a hex string \"0x…\"") }
      guard let n = Hex.parse(s) else {
        throw JSONSyntaxError(column: col, message: "key \"\(key)\" must be a hex string \"0x…\" of 1-16 digits, found \"\(s)\"")
      }
      return n
    }
    func hex(_ key: String) throws(JSONSyntaxError) -> UInt64? {
      guard let v = byKey[key] else { return nil }
      return try hexValue(key, v)
    }
    func array(_ key: String) throws(JSONSyntaxError) -> [JSONValue]? {
      guard let v = byKey[key] else { return nil }
      guard case .array(let items, _) = v else { throw wrongType(key, v, "an array") }
      return items
    }

    // v1 spelled offsets and IDs as numbers and fields as "NAME: old->new"
    // strings; v2 spells them as hex strings and an object.
    var version = UInt64(Self.schemaVersion)
    if let vNode = byKey["v"] {
      guard let v = try uint("v"), Self.readableSchemaVersions.contains(v) else {
        throw JSONSyntaxError(
          column: vNode.column,
          message: "unsupported schema version (this reader reads v \(Self.readableSchemaVersions.lowerBound)-\(Self.readableSchemaVersions.upperBound))")
      }
      version = v
    }
    /// An offset or ID: a number in v1, a hex string in v2.
    func id(_ key: String) throws(JSONSyntaxError) -> Int? {
      guard version >= 2 else { return try int(key) }
      guard let v = byKey[key] else { return nil }
      let n = try hexValue(key, v)
      guard n <= UInt64(Int.max) else { throw JSONSyntaxError(column: v.column, message: "key \"\(key)\" is out of range") }
      return Int(n)
    }
    guard let seq = try uint("seq") else { throw missing("seq") }
    guard let cycle = try uint("cycle") else { throw missing("cycle") }
    guard let kindText = try str("kind") else { throw missing("kind") }
    // v1 wrote the LVCMDQ ordering monitor's faults as kind `ordering`; they
    // are now two rules of the rule book.
    let v1Ordering = version < 2 && kindText == "ordering"
    guard let kind = v1Ordering ? .violation : TraceKind(rawValue: kindText) else {
      throw JSONSyntaxError(
        column: byKey["kind"]!.column,
        message: "unknown kind \"\(kindText)\" (expected one of \(TraceKind.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    self.init(seq: seq, cycle: cycle, kind: kind)
    initiator = try str("initiator")
    map = try str("map")
    aperture = try str("aperture")
    offset = try id("offset")
    width = try int("width")
    value = try hex("value")
    old = try hex("old")
    new = try hex("new")
    reg = try str("reg")
    vcmdq = try int("vcmdq")
    if version < 2, let items = try array("fields") {
      var out: [TraceFieldChange] = []
      for item in items {
        guard case .string(let s, let col) = item else { throw wrongType("fields", item, "an array of strings") }
        guard let change = Self.fieldChange(v1: s) else {
          throw JSONSyntaxError(column: col, message: "key \"fields\" entries must read \"NAME: old->new\", found \"\(s)\"")
        }
        out.append(change)
      }
      fields = out
    } else if let node = byKey["fields"] {
      guard case .object(let members, _) = node else { throw wrongType("fields", node, "an object") }
      var out: [TraceFieldChange] = []
      for (name, _, value) in members {
        guard case .object(let pair, _) = value else { throw wrongType("fields", value, "an object of {\"old\",\"new\"}") }
        var old: UInt64?, new: UInt64?
        for (k, _, v) in pair {
          if k == "old" { old = try hexValue("fields.\(name).old", v) }
          if k == "new" { new = try hexValue("fields.\(name).new", v) }
        }
        guard let old, let new else {
          throw JSONSyntaxError(column: value.column, message: "field \"\(name)\" needs \"old\" and \"new\"")
        }
        out.append(TraceFieldChange(name: name, old: old, new: new))
      }
      fields = out
    }
    if let v = byKey["accepted"] {
      guard case .bool(let b, _) = v else { throw wrongType("accepted", v, "a boolean") }
      accepted = b
    }
    queue = try str("queue")
    vintf = try int("vintf")
    lvcmdq = try int("lvcmdq")
    cons = try int("cons")
    op = try str("op")
    if let items = try array("dwords") {
      var out: [UInt64] = []
      for item in items { out.append(try hexValue("dwords", item)) }
      dwords = out
    }
    sid = try id("sid")
    vsid = try id("vsid")
    vmid = try id("vmid")
    asid = try id("asid")
    addr = try hex("addr")
    code = try int("code")
    codeName = try str("code_name")
    reason = try str("reason")
    entity = try str("entity")
    property = try str("property")
    direction = try str("dir")
    desc = try str("desc")
    line = try str("line")
    count = try int("count")
    cause = try str("cause")
    text = try str("text")
    rule = try str("rule")
    source = try str("source")
    if v1Ordering, rule == nil {
      rule = (desc ?? "").contains(": unmapped ") ? "LVCMDQ-UNMAP-DESCENDING" : "LVCMDQ-MAP-ASCENDING"
    }
    step = try int("step")
    action = try str("action")
    src = try str("src")
  }

  /// A v1 `fields` entry, `NAME: old->new` (values `0`/`1` or `0x…`, with an
  /// optional `(ENUM)` suffix).
  static func fieldChange(v1 s: String) -> TraceFieldChange? {
    guard let colon = s.range(of: ": ") else { return nil }
    let name = String(s[..<colon.lowerBound])
    let values = s[colon.upperBound...].split(separator: "->", omittingEmptySubsequences: false)
    guard !name.isEmpty, values.count == 2 else { return nil }
    func number(_ text: Substring) -> UInt64? {
      let bare = text.firstIndex(of: "(").map { text[..<$0] } ?? text
      return bare.hasPrefix("0x") ? Hex.parse(String(bare)) : UInt64(bare)
    }
    guard let old = number(values[0]), let new = number(values[1]) else { return nil }
    return TraceFieldChange(name: name, old: old, new: new)
  }
}
