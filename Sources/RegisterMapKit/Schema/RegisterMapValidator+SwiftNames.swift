extension RegisterMapValidator {
  /// Every Swift name the generator derives from the map is a legal
  /// identifier, no keyword, and unique where it is declared, also after
  /// case conversion (`A_BT` and `A__BT` both become `aBt`).
  static func validateSwiftNames(_ map: RegisterMapSpec, _ d: inout [Diagnostic]) {
    let lowerCamel = RegisterMapDecoder.lowerCamel
    func check(_ name: String, _ what: String, _ reserved: Set<String>, _ mark: Mark) {
      if let problem = SwiftNameRules.problem(name) {
        d.append(Diagnostic("\(what) becomes the Swift name '\(name)', which \(problem)", at: mark))
      } else if reserved.contains(name) {
        d.append(Diagnostic("\(what) becomes the Swift name '\(name)', which the generated code already uses", at: mark))
      }
    }
    /// One Swift scope: reports the second name that converts to a taken one.
    func unique(_ items: [(swift: String, source: String, mark: Mark)], in scope: String) {
      var seen: [String: (String, Mark)] = [:]
      for item in items {
        if let (first, mark) = seen[item.swift] {
          // The plain duplicate (same source name) is reported elsewhere.
          guard first != item.source else { continue }
          d.append(
            Diagnostic(
              "'\(item.source)' and '\(first)' both become '\(item.swift)' in \(scope)", at: item.mark, related: mark,
              relatedMessage: "'\(first)' defined here"))
        } else {
          seen[item.swift] = (item.source, item.mark)
        }
      }
    }

    let fileMark = Mark(file: map.file, line: 1, column: 1)
    for name in [map.swiftName + "Registers", map.swiftName + "Map"] {
      check(name, "swift_name '\(map.swiftName)'", SwiftNameRules.reservedTypeNames, fileMark)
    }
    for e in map.enums {
      check(e.swiftName, "enum '\(e.name)'", SwiftNameRules.reservedTypeNames, e.mark)
      for v in e.values { check(lowerCamel(v.name), "value '\(v.name)' of enum '\(e.name)'", SwiftNameRules.enumMembers, v.mark) }
      unique(e.values.map { (lowerCamel($0.name), $0.name, $0.mark) }, in: "enum \(e.swiftName)")
    }

    var rootMembers: [(swift: String, source: String, mark: Mark)] = []
    for block in map.blocks {
      if block.dimensions.isEmpty {
        rootMembers += block.registers.map { (lowerCamel($0.name), "\(block.name).\($0.name)", block.aliasOf == nil ? $0.mark : block.mark) }
      } else if let accessor = block.accessor {
        check(accessor, "accessor of block '\(block.name)'", SwiftNameRules.accessorMembers, block.mark)
        rootMembers.append((accessor, "accessor of block '\(block.name)'", block.mark))
        for dim in block.dimensions { check(lowerCamel(dim.label), "dimension label '\(dim.label)'", [], dim.mark) }
        unique(block.dimensions.map { (lowerCamel($0.label), $0.label, $0.mark) }, in: "the parameters of \(accessor)(…)")
      }
      guard block.aliasOf == nil else { continue }
      if !block.dimensions.isEmpty {
        check(block.swiftName, "block '\(block.name)'", SwiftNameRules.reservedTypeNames, block.mark)
        unique(block.registers.map { (lowerCamel($0.name), $0.name, $0.mark) }, in: block.swiftName)
      }
      for reg in block.registers {
        check(reg.swiftName, "register '\(block.name).\(reg.name)'", SwiftNameRules.reservedTypeNames, reg.mark)
        check(lowerCamel(reg.name), "register '\(block.name).\(reg.name)'", SwiftNameRules.accessorMembers, reg.mark)
        for f in reg.fields { check(f.swiftName, "field '\(f.name)' of \(reg.name)", SwiftNameRules.valueMembers, f.mark) }
        // `<field>Code` accessors of enum fields share the scope with fields.
        for f in reg.fields where f.enumName != nil {
          guard let other = reg.fields.first(where: { $0.swiftName == f.swiftName + "Code" }) else { continue }
          d.append(
            Diagnostic(
              "field '\(other.name)' (Swift '\(other.swiftName)') collides with the decoded accessor of enum field '\(f.name)' in \(reg.swiftName)",
              at: other.mark, related: f.mark, relatedMessage: "'\(f.name)' defined here"))
        }
      }
    }
    unique(rootMembers, in: map.swiftName + "Registers")
  }
}
