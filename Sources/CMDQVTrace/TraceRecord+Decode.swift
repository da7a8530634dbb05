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

    if let vNode = byKey["v"] {
      guard let v = try uint("v"), v == UInt64(Self.schemaVersion) else {
        throw JSONSyntaxError(column: vNode.column, message: "unsupported schema version (this reader reads v \(Self.schemaVersion))")
      }
    }
    guard let seq = try uint("seq") else { throw missing("seq") }
    guard let cycle = try uint("cycle") else { throw missing("cycle") }
    guard let kindText = try str("kind") else { throw missing("kind") }
    guard let kind = TraceKind(rawValue: kindText) else {
      throw JSONSyntaxError(
        column: byKey["kind"]!.column,
        message: "unknown kind \"\(kindText)\" (expected one of \(TraceKind.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    self.init(seq: seq, cycle: cycle, kind: kind)
    initiator = try str("initiator")
    map = try str("map")
    aperture = try str("aperture")
    offset = try int("offset")
    width = try int("width")
    value = try hex("value")
    old = try hex("old")
    new = try hex("new")
    reg = try str("reg")
    vcmdq = try int("vcmdq")
    if let items = try array("fields") {
      var out: [String] = []
      for item in items {
        guard case .string(let s, _) = item else { throw wrongType("fields", item, "an array of strings") }
        out.append(s)
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
    sid = try int("sid")
    vsid = try int("vsid")
    vmid = try int("vmid")
    asid = try int("asid")
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
  }
}
