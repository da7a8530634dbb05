/// Turns a parsed YAML document into a ``RegisterMapSpec``: the schema's keys,
/// types and required values. Cross-checks (overlaps, widths, references) are
/// ``RegisterMapValidator``'s job.
enum RegisterMapDecoder {
  static let mapKeys = ["map", "swift_name", "description", "parameters", "enums", "blocks"]
  static let parameterKeys = ["name", "description"]
  static let enumKeys = ["name", "swift_name", "description", "values"]
  static let enumValueKeys = ["name", "value", "description"]
  static let blockKeys = [
    "name", "prefix", "offset", "aperture", "swift_name", "accessor", "dimensions", "alias_of", "toggle_pairs",
    "description", "registers",
  ]
  static let dimensionKeys = ["label", "count", "stride", "parameter"]
  static let toggleKeys = ["error", "ack"]
  static let registerKeys = [
    "name", "swift_name", "offset", "width", "count", "stride", "parameter", "access_widths", "reset", "value_from",
    "source", "description", "fields",
  ]
  static let fieldKeys = ["name", "swift_name", "bits", "access", "reset", "enum", "description"]
  static let accessValues = ["rw", "ro", "wo", "w1c", "rsvd"]

  static func decode(_ root: YAMLNode, file: String, diagnostics d: inout [Diagnostic]) -> RegisterMapSpec {
    let r = MappingReader(root, context: "the register map", allowed: mapKeys, diagnostics: &d)
    let name = r.identifier("map", required: true, &d) ?? ""
    let swiftName = r.identifier("swift_name", required: true, &d) ?? ""
    let description = r.string("description", required: true, &d) ?? ""
    var parameters: [ParameterSpec] = []
    for item in r.sequence("parameters", required: false, &d)?.items ?? [] {
      let p = MappingReader(item, context: "a parameter", allowed: parameterKeys, diagnostics: &d)
      let pname = p.identifier("name", required: true, &d) ?? ""
      parameters.append(
        ParameterSpec(name: pname, description: p.string("description", required: true, &d) ?? "", mark: p.mark))
    }
    var enums: [EnumSpec] = []
    for item in r.sequence("enums", required: false, &d)?.items ?? [] {
      enums.append(decodeEnum(item, &d))
    }
    var blocks: [BlockSpec] = []
    for item in r.sequence("blocks", required: true, &d)?.items ?? [] {
      blocks.append(decodeBlock(item, &d))
    }
    return RegisterMapSpec(
      name: name, swiftName: swiftName, description: description, parameters: parameters, enums: enums,
      blocks: blocks, file: file)
  }

  static func decodeEnum(_ node: YAMLNode, _ d: inout [Diagnostic]) -> EnumSpec {
    let r = MappingReader(node, context: "an enum", allowed: enumKeys, diagnostics: &d)
    let name = r.identifier("name", required: true, &d) ?? ""
    let context = "enum '\(name)'"
    let swiftName = r.identifier("swift_name", required: true, &d) ?? ""
    let description = r.string("description", required: true, &d) ?? ""
    var values: [EnumSpec.Value] = []
    for item in r.sequence("values", required: true, &d)?.items ?? [] {
      let v = MappingReader(item, context: "a value of \(context)", allowed: enumValueKeys, diagnostics: &d)
      values.append(
        EnumSpec.Value(
          name: v.identifier("name", required: true, &d) ?? "",
          value: v.integer("value", required: true, &d) ?? 0,
          description: v.string("description", required: true, &d) ?? "", mark: v.mark))
    }
    return EnumSpec(name: name, swiftName: swiftName, description: description, values: values, mark: r.mark)
  }

  static func decodeBlock(_ node: YAMLNode, _ d: inout [Diagnostic]) -> BlockSpec {
    let r = MappingReader(node, context: "a block", allowed: blockKeys, diagnostics: &d)
    let name = r.identifier("name", required: true, &d) ?? ""
    let context = "block '\(name)'"
    let aliasOf = r.identifier("alias_of", required: false, &d)
    var dimensions: [DimensionSpec] = []
    for item in r.sequence("dimensions", required: false, &d)?.items ?? [] {
      let dim = MappingReader(item, context: "a dimension of \(context)", allowed: dimensionKeys, diagnostics: &d)
      let count = dim.int("count", in: 1...RegisterMapLimits.maxInstances, required: true, &d) ?? 1
      dimensions.append(
        DimensionSpec(
          label: dim.identifier("label", required: true, &d) ?? "", count: count,
          stride: dim.int("stride", in: 0...RegisterMapLimits.apertureBytes, required: true, &d) ?? 0,
          parameter: dim.identifier("parameter", required: false, &d), mark: dim.mark))
    }
    if dimensions.count > RegisterMapLimits.maxDimensions, let seq = r.sequence("dimensions", required: false, &d) {
      d.append(
        Diagnostic(
          "\(context) has \(dimensions.count) dimensions, at most \(RegisterMapLimits.maxDimensions)", at: seq.mark))
    }
    var toggles: [TogglePairSpec] = []
    for item in r.sequence("toggle_pairs", required: false, &d)?.items ?? [] {
      let t = MappingReader(item, context: "a toggle pair of \(context)", allowed: toggleKeys, diagnostics: &d)
      toggles.append(
        TogglePairSpec(
          error: t.identifier("error", required: true, &d) ?? "", ack: t.identifier("ack", required: true, &d) ?? "",
          mark: t.mark))
    }
    var registers: [RegisterSpec] = []
    if let seq = r.sequence("registers", required: aliasOf == nil, &d) {
      if aliasOf != nil {
        d.append(
          Diagnostic("alias block '\(name)' must not declare registers: it shows the aliased block's", at: seq.mark))
      }
      for item in seq.items { registers.append(decodeRegister(item, block: name, &d)) }
    }
    let isAlias = aliasOf != nil
    return BlockSpec(
      name: name,
      prefix: r.identifier("prefix", required: !isAlias && dimensions.isEmpty, &d) ?? dimensions.first?.label ?? name,
      offset: r.int("offset", in: 0...(RegisterMapLimits.apertureBytes - 1), required: true, &d) ?? 0,
      aperture: r.identifier("aperture", required: true, &d) ?? "",
      swiftName: blockSwiftName(r, isAlias: isAlias, hasDimensions: !dimensions.isEmpty, &d),
      accessor: r.identifier("accessor", required: !dimensions.isEmpty, &d),
      dimensions: dimensions, aliasOf: aliasOf, togglePairs: toggles,
      description: r.string("description", required: true, &d) ?? "", registers: registers, mark: r.mark)
  }

  /// Blocks with dimensions get an accessor group type; the registers of a
  /// block without dimensions are members of the map's root type.
  static func blockSwiftName(_ r: MappingReader, isAlias: Bool, hasDimensions: Bool, _ d: inout [Diagnostic]) -> String {
    if !hasDimensions || isAlias {
      if r.node("swift_name") != nil {
        let why = isAlias ? "an alias block uses its aliased block's type" : "its registers are members of the map's root type"
        d.append(Diagnostic("'swift_name' is not allowed here: \(why)", at: r.keyMark("swift_name")))
      }
      return ""
    }
    return r.identifier("swift_name", required: true, &d) ?? ""
  }

  static func decodeRegister(_ node: YAMLNode, block: String, _ d: inout [Diagnostic]) -> RegisterSpec {
    let r = MappingReader(node, context: "a register of block '\(block)'", allowed: registerKeys, diagnostics: &d)
    let name = r.identifier("name", required: true, &d) ?? ""
    let context = "register '\(block).\(name)'"
    let width = r.int("width", required: false, &d) ?? 32
    if width != 32 && width != 64 {
      d.append(Diagnostic("'width' of \(context) must be 32 or 64, got \(width)", at: r.node("width")!.mark))
    }
    let count = r.int("count", in: 1...RegisterMapLimits.maxInstances, required: false, &d) ?? 1
    var stride = r.int("stride", in: 0...RegisterMapLimits.apertureBytes, required: count > 1, &d) ?? 0
    if count == 1 && r.node("stride") == nil { stride = width / 8 }
    var accessWidths = width == 64 ? [32, 64] : [32]
    if let seq = r.sequence("access_widths", required: false, &d) {
      accessWidths = []
      for item in seq.items {
        guard case .scalar(let s) = item, let w = try? s.integer(bits: 8), w == 32 || w == 64 else {
          d.append(Diagnostic("access widths are 32 or 64", at: item.mark))
          continue
        }
        accessWidths.append(Int(w))
      }
      if accessWidths.contains(64) && width == 32 {
        d.append(Diagnostic("\(context) is 32 bits wide and cannot accept 64-bit accesses", at: seq.mark))
      }
      if accessWidths.isEmpty { d.append(Diagnostic("'access_widths' of \(context) is empty", at: seq.mark)) }
    }
    var valueFromConfiguration = false
    if let s = r.scalar("value_from", required: false, &d) {
      if s.text == "configuration" {
        valueFromConfiguration = true
      } else {
        d.append(Diagnostic("'value_from' only takes 'configuration', got '\(s.text)'", at: s.mark))
      }
    }
    let resetBits = (width == 32 || width == 64) ? width : 64
    let declaredReset = r.integer("reset", bits: resetBits, required: false, &d)
    var fields: [FieldSpec] = []
    for item in r.sequence("fields", required: true, &d)?.items ?? [] {
      fields.append(decodeField(item, register: context, &d))
    }
    var reset = declaredReset ?? 0
    if declaredReset == nil {
      for f in fields { reset |= ((f.reset ?? 0) << UInt64(f.lsb)) & f.mask }
    }
    return RegisterSpec(
      name: name, swiftName: r.identifier("swift_name", required: true, &d) ?? "",
      offset: r.int("offset", in: 0...(RegisterMapLimits.apertureBytes - 1), required: true, &d) ?? 0, width: width,
      count: count, stride: stride,
      parameter: r.identifier("parameter", required: false, &d), accessWidths: accessWidths, reset: reset,
      valueFromConfiguration: valueFromConfiguration, source: r.string("source", required: true, &d) ?? "",
      description: r.string("description", required: true, &d) ?? "", fields: fields, mark: r.mark)
  }

  static func decodeField(_ node: YAMLNode, register: String, _ d: inout [Diagnostic]) -> FieldSpec {
    let r = MappingReader(node, context: "a field of \(register)", allowed: fieldKeys, diagnostics: &d)
    let name = r.identifier("name", required: true, &d) ?? ""
    var lsb = 0, msb = 0
    if let s = r.scalar("bits", required: true, &d) {
      if let (m, l) = parseBits(s.text) {
        msb = m
        lsb = l
      } else {
        d.append(Diagnostic("'bits' must be 'N' or 'MSB:LSB' with MSB >= LSB, got '\(s.text)'", at: s.mark))
      }
    }
    var access = "rw"
    if let s = r.scalar("access", required: true, &d) {
      if accessValues.contains(s.text) {
        access = s.text
      } else {
        d.append(
          Diagnostic(
            "unknown access '\(s.text)' for field '\(name)'; expected one of: \(accessValues.joined(separator: ", "))",
            at: s.mark))
      }
    }
    let width = msb - lsb + 1
    var reset: UInt64?
    if let s = r.scalar("reset", required: false, &d) {
      do {
        reset = try s.integer(bits: 64)
        if width < 64, let v = reset, v >> UInt64(width) != 0 {
          d.append(Diagnostic("reset value \(s.text) does not fit in field '\(name)' (\(width) bits)", at: s.mark))
          reset = nil
        }
      } catch {
        d.append(error)
      }
    }
    return FieldSpec(
      name: name, swiftName: r.identifier("swift_name", required: false, &d) ?? lowerCamel(name), lsb: lsb, msb: msb,
      access: access, reset: reset, enumName: r.identifier("enum", required: false, &d),
      description: r.string("description", required: true, &d) ?? "", mark: r.mark)
  }

  /// `"5"` → (5, 5); `"20:15"` → (20, 15).
  static func parseBits(_ text: String) -> (Int, Int)? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    func number(_ s: Substring) -> Int? {
      guard !s.isEmpty, s.count <= 3, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      return Int(s)
    }
    switch parts.count {
    case 1: if let b = number(parts[0]) { return (b, b) }
    case 2: if let m = number(parts[0]), let l = number(parts[1]), m >= l { return (m, l) }
    default: break
    }
    return nil
  }

  /// `CMDQ_ERR` → `cmdqErr`.
  static func lowerCamel(_ name: String) -> String {
    let words = name.split(separator: "_").map { $0.lowercased() }
    guard let first = words.first else { return name.lowercased() }
    return first + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }
}
