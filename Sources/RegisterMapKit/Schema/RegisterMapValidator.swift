/// Semantic checks on a decoded map: duplicate names, overlaps, widths,
/// resets, references. Also resolves alias blocks to their aliased registers.
enum RegisterMapValidator {
  static func validate(_ map: inout RegisterMapSpec, diagnostics d: inout [Diagnostic]) {
    duplicates(map.parameters.map { ($0.name, $0.mark) }, what: "parameter", &d)
    duplicates(map.enums.map { ($0.name, $0.mark) }, what: "enum", &d)
    duplicates(map.blocks.map { ($0.name, $0.mark) }, what: "block", &d)
    let parameterNames = Set(map.parameters.map(\.name))
    for e in map.enums { validateEnum(e, &d) }

    // Resolve aliases first so that later checks see the registers.
    for i in map.blocks.indices {
      guard let target = map.blocks[i].aliasOf else { continue }
      let block = map.blocks[i]
      guard let aliased = map.block(named: target) else {
        let known = map.blocks.filter { $0.aliasOf == nil }.map(\.name).joined(separator: ", ")
        d.append(Diagnostic("block '\(block.name)' is an alias of unknown block '\(target)'; blocks: \(known)", at: block.mark))
        continue
      }
      if aliased.aliasOf != nil {
        d.append(Diagnostic("block '\(block.name)' aliases '\(target)', which is itself an alias", at: block.mark))
        continue
      }
      map.blocks[i].registers = aliased.registers
      map.blocks[i].swiftName = aliased.swiftName
      map.blocks[i].prefix = aliased.prefix
    }

    duplicates(map.generatedTypeNames, what: "Swift type name", &d)

    validateSwiftNames(map, &d)
    let sizesWithinLimits = validateExtents(map, &d)
    for block in map.blocks {
      validateBlock(block, map: map, parameters: parameterNames, expandInstances: sizesWithinLimits, &d)
    }
    if sizesWithinLimits { validateBlockPlacement(map, &d) }
  }

  static func duplicates(_ items: [(String, Mark)], what: String, _ d: inout [Diagnostic]) {
    var seen: [String: Mark] = [:]
    for (name, mark) in items where !name.isEmpty {
      if let first = seen[name] {
        d.append(Diagnostic("duplicate \(what) '\(name)'", at: mark, related: first, relatedMessage: "first defined here"))
      } else {
        seen[name] = mark
      }
    }
  }

  static func validateEnum(_ e: EnumSpec, _ d: inout [Diagnostic]) {
    duplicates(e.values.map { ($0.name, $0.mark) }, what: "value name in enum '\(e.name)'", &d)
    var seen: [UInt64: Mark] = [:]
    for v in e.values {
      if let first = seen[v.value] {
        d.append(
          Diagnostic(
            "enum '\(e.name)' gives value \(v.value) two names", at: v.mark, related: first,
            relatedMessage: "first named here"))
      } else {
        seen[v.value] = v.mark
      }
    }
  }

  static func hex(_ v: Int) -> String { "0x" + String(v, radix: 16, uppercase: true) }

  static func validateBlock(
    _ block: BlockSpec, map: RegisterMapSpec, parameters: Set<String>, expandInstances: Bool, _ d: inout [Diagnostic]
  ) {
    for dim in block.dimensions {
      if let p = dim.parameter, !parameters.contains(p) {
        d.append(Diagnostic("unknown parameter '\(p)' in block '\(block.name)'; declare it under 'parameters'", at: dim.mark))
      }
    }
    // Each dimension's stride must hold everything inside it.
    var inner = block.extent
    for dim in block.dimensions.reversed() {
      if dim.count > 1 && dim.stride < inner {
        d.append(
          Diagnostic(
            "stride \(hex(dim.stride)) of dimension '\(dim.label)' is smaller than what it repeats (\(hex(inner)) bytes) in block '\(block.name)'",
            at: dim.mark))
      }
      inner = max(inner, (dim.count - 1) * dim.stride + inner)
    }
    for pair in block.togglePairs {
      for name in [pair.error, pair.ack] where !block.registers.contains(where: { $0.name == name }) {
        d.append(Diagnostic("toggle pair names unknown register '\(name)' in block '\(block.name)'", at: pair.mark))
      }
    }
    guard block.aliasOf == nil else { return }
    duplicates(block.registers.map { ($0.name, $0.mark) }, what: "register in block '\(block.name)'", &d)
    for reg in block.registers { validateRegister(reg, block: block, map: map, parameters: parameters, &d) }

    // Overlapping registers within one block instance (bounded: only when
    // the instance count is within the limit).
    guard expandInstances else { return }
    var spans: [(Range<Int>, RegisterSpec, Int)] = []
    for reg in block.registers {
      for i in 0..<reg.count {
        let start = reg.offset + i * reg.stride
        spans.append((start..<(start + reg.width / 8), reg, i))
      }
    }
    spans.sort { $0.0.lowerBound < $1.0.lowerBound }
    var reported = Set<String>()
    for (a, b) in zip(spans, spans.dropFirst()) where a.0.overlaps(b.0) {
      let key = a.1.name + "/" + b.1.name
      guard reported.insert(key).inserted else { continue }
      let an = a.1.count > 1 ? "\(a.1.name)(\(a.2))" : a.1.name
      let bn = b.1.count > 1 ? "\(b.1.name)(\(b.2))" : b.1.name
      d.append(
        Diagnostic(
          "register \(bn) at \(hex(b.0.lowerBound)) overlaps \(an) (\(hex(a.0.lowerBound))..<\(hex(a.0.upperBound))) in block '\(block.name)'",
          at: b.1.mark, related: a.1.mark, relatedMessage: "\(an) defined here"))
    }
  }

  static func validateRegister(
    _ reg: RegisterSpec, block: BlockSpec, map: RegisterMapSpec, parameters: Set<String>, _ d: inout [Diagnostic]
  ) {
    let context = "register '\(block.name).\(reg.name)'"
    if let p = reg.parameter, !parameters.contains(p) {
      d.append(Diagnostic("unknown parameter '\(p)' in \(context); declare it under 'parameters'", at: reg.mark))
    }
    let align = reg.accessWidths.contains(64) ? 8 : 4
    if reg.offset % align != 0 {
      d.append(Diagnostic("\(context) at \(hex(reg.offset)) is not aligned to its \(align * 8)-bit accesses", at: reg.mark))
    }
    if reg.count > 1 && reg.stride < reg.width / 8 {
      d.append(Diagnostic("stride \(reg.stride) of \(context) is smaller than the register (\(reg.width / 8) bytes)", at: reg.mark))
    }
    if reg.count > 1 && reg.stride % align != 0 {
      d.append(Diagnostic("stride \(reg.stride) of \(context) breaks the \(align * 8)-bit alignment of its instances", at: reg.mark))
    }
    duplicates(reg.fields.map { ($0.name, $0.mark) }, what: "field in \(context)", &d)
    duplicates(reg.fields.map { ($0.swiftName, $0.mark) }, what: "field swift_name in \(context)", &d)
    var covered: UInt64 = 0
    var anyFieldReset = false
    for field in reg.fields {
      if field.msb >= reg.width {
        d.append(
          Diagnostic(
            "field '\(field.name)' bits \(field.bitRange) lie outside the \(reg.width)-bit \(context)", at: field.mark))
        continue
      }
      if covered & field.mask != 0 {
        let other = reg.fields.first { $0.name != field.name && $0.mask & field.mask != 0 && $0.msb < reg.width }
        d.append(
          Diagnostic(
            "field '\(field.name)' \(field.bitRange) overlaps field '\(other?.name ?? "?")' \(other?.bitRange ?? "") in \(context)",
            at: field.mark, related: other?.mark, relatedMessage: other.map { "'\($0.name)' defined here" }))
      }
      covered |= field.mask
      if field.reset != nil { anyFieldReset = true }
      if let e = field.enumName {
        if let spec = map.enumeration(named: e) {
          for v in spec.values where field.width < 64 && v.value >> UInt64(field.width) != 0 {
            d.append(
              Diagnostic(
                "enum '\(e)' value \(v.name)=\(v.value) does not fit in field '\(field.name)' (\(field.width) bits)",
                at: field.mark))
          }
        } else {
          d.append(Diagnostic("field '\(field.name)' uses unknown enum '\(e)'", at: field.mark))
        }
      }
    }
    // A field outside the register already explains a bad reset; say it once.
    let fieldsFit = reg.fields.allSatisfy { $0.msb < reg.width }
    if fieldsFit && reg.reset & ~covered != 0 {
      d.append(
        Diagnostic(
          "reset value 0x\(String(reg.reset, radix: 16, uppercase: true)) of \(context) sets bits 0x\(String(reg.reset & ~covered, radix: 16, uppercase: true)) that no field covers",
          at: reg.mark))
    }
    if anyFieldReset {
      for field in reg.fields where field.msb < reg.width {
        if let r = field.reset, (reg.reset & field.mask) >> UInt64(field.lsb) != r {
          d.append(
            Diagnostic(
              "field '\(field.name)' reset \(r) disagrees with the register reset 0x\(String(reg.reset, radix: 16, uppercase: true))",
              at: field.mark))
        }
      }
    }
  }

  /// Block instances of different blocks must not overlap in the aperture.
  static func validateBlockPlacement(_ map: RegisterMapSpec, _ d: inout [Diagnostic]) {
    var spans: [(Int, Int, Int)] = []  // start, end, block index
    for (bi, block) in map.blocks.enumerated() where block.extent > 0 {
      var starts = [block.offset]
      for dim in block.dimensions {
        starts = starts.flatMap { s in (0..<dim.count).map { s + $0 * dim.stride } }
      }
      spans += starts.map { ($0, $0 + block.extent, bi) }
    }
    spans.sort { $0.0 < $1.0 }
    var reported = Set<[Int]>()
    var maxEnd = (0, -1)  // end, block index
    for s in spans {
      if maxEnd.1 >= 0 && s.0 < maxEnd.0 && maxEnd.1 != s.2 {
        let pair = [min(maxEnd.1, s.2), max(maxEnd.1, s.2)]
        if reported.insert(pair).inserted {
          let a = map.blocks[maxEnd.1], b = map.blocks[s.2]
          d.append(
            Diagnostic(
              "block '\(b.name)' instance at \(hex(s.0)) overlaps block '\(a.name)'", at: b.mark, related: a.mark,
              relatedMessage: "'\(a.name)' defined here"))
        }
      }
      if s.1 > maxEnd.0 { maxEnd = (s.1, s.2) }
    }
  }
}
