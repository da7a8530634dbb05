/// One register map file, decoded and validated.
public struct RegisterMapSpec: Hashable, Sendable {
  /// Map identifier (`tegra241_cmdqv`).
  public var name: String
  /// Prefix of the generated map types (`Tegra241CMDQV` → `Tegra241CMDQVMap`).
  public var swiftName: String
  public var description: String
  public var parameters: [ParameterSpec]
  public var enums: [EnumSpec]
  public var blocks: [BlockSpec]
  /// The file it came from.
  public var file: String

  public func block(named name: String) -> BlockSpec? { blocks.first { $0.name == name } }
  public func enumeration(named name: String) -> EnumSpec? { enums.first { $0.name == name } }

  /// Every Swift type the generator declares for this map, with where it
  /// comes from.
  var generatedTypeNames: [(String, Mark)] {
    let fileMark = Mark(file: file, line: 1, column: 1)
    var names = [(swiftName + "Registers", fileMark), (swiftName + "Map", fileMark)]
    names += enums.map { ($0.swiftName, $0.mark) }
    for block in blocks where block.aliasOf == nil {
      if !block.dimensions.isEmpty { names.append((block.swiftName, block.mark)) }
      names += block.registers.map { ($0.swiftName, $0.mark) }
    }
    return names
  }
}
