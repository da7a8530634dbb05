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
}
