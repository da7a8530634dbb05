extension TraceRecord {
  /// The ranges a record read from a trace must respect, beyond its JSON
  /// types (`Docs/Tracing.md`, "Reading limits"). Each bound is what the
  /// device can produce, so every trace the writers emit passes, and a
  /// crafted value (a 40-billion-bit `width`) is a positioned error instead of
  /// something a renderer would act on.
  static let maxVINTF = 63
  static let maxVCMDQ = 127
  static let maxStreamID: UInt64 = 0xFFFF_FFFF
  static let maxVMIDOrASID: UInt64 = 0xFFFF
  /// CMDQ_CONS.ERR is 7 bits.
  static let maxErrorCode: UInt64 = 0x7F
  /// A queue index: at most 2^19 entries (CMDQS ≤ 19) plus the wrap bit.
  static let maxQueueIndex: UInt64 = 0xF_FFFF
  /// A register has at most 64 one-bit fields.
  static let maxChangedFields = 64

  /// Checks the ranges of `self`, decoded from `json` (whose columns
  /// position the error).
  func checkRanges(in json: JSONValue) throws(JSONSyntaxError) {
    guard case .object(let members, _) = json else { return }
    func column(_ key: String) -> Int { members.first { $0.key == key }?.value.column ?? 1 }
    func within(_ key: String, _ v: Int?, _ maximum: UInt64) throws(JSONSyntaxError) {
      guard let v, UInt64(v) > maximum else { return }
      throw JSONSyntaxError(column: column(key), message: "key \"\(key)\" must be in 0...\(maximum), found \(v)")
    }
    if let width {
      guard [8, 16, 32, 64].contains(width) else {
        throw JSONSyntaxError(column: column("width"), message: "key \"width\" must be 8, 16, 32 or 64, found \(width)")
      }
      if let value, width < 64, value >> UInt64(width) != 0 {
        throw JSONSyntaxError(
          column: column("value"), message: "key \"value\" \(Hex.minimal(value)) does not fit the \(width)-bit access")
      }
    }
    try within("vintf", vintf, UInt64(Self.maxVINTF))
    try within("vcmdq", vcmdq, UInt64(Self.maxVCMDQ))
    try within("lvcmdq", lvcmdq, UInt64(Self.maxVCMDQ))
    try within("sid", sid, Self.maxStreamID)
    try within("vsid", vsid, Self.maxStreamID)
    try within("vmid", vmid, Self.maxVMIDOrASID)
    try within("asid", asid, Self.maxVMIDOrASID)
    try within("code", code, Self.maxErrorCode)
    try within("cons", cons, Self.maxQueueIndex)
    if let dwords, dwords.count != 2 {
      throw JSONSyntaxError(column: column("dwords"), message: "key \"dwords\" must hold 2 doublewords, found \(dwords.count)")
    }
    if let fields, fields.count > Self.maxChangedFields {
      throw JSONSyntaxError(
        column: column("fields"), message: "key \"fields\" holds \(fields.count) entries, at most \(Self.maxChangedFields)")
    }
  }
}
