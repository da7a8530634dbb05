/// What the generator may use as a Swift name, so that a map that passes
/// validation generates Swift that compiles.
enum SwiftNameRules {
  /// Words that cannot be a declaration's name without backticks, plus
  /// `Type` and `Protocol` (after a dot they mean the metatype).
  static let keywords: Set<String> = [
    "associatedtype", "borrowing", "class", "consuming", "deinit", "enum", "extension", "fileprivate", "func",
    "import", "init", "inout", "internal", "let", "nonisolated", "open", "operator", "private", "precedencegroup",
    "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch",
    "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
    "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super",
    "throws", "true", "try", "_", "Type", "Protocol", "some", "any",
  ]

  /// Type names the generated files cannot declare: the register module's
  /// own types (a test keeps this list in step with the module) and the
  /// standard-library types generated code names.
  static let reservedTypeNames: Set<String> = [
    "AccessFault", "BlockDimension", "BlockLayout", "CommandError", "CommandOpcode", "CommandQueueID", "DelayClock",
    "EnumInfo", "ExecutedCommand", "FieldAccess", "FieldInfo", "HardwareEvent", "HardwareEventSink", "Initiator",
    "InterruptEvent", "MMIOAccess", "MMIOBus", "OrderingFault", "PhysicalMemory", "Register", "RegisterInfo",
    "RegisterInstance", "RegisterMapLayout", "RegisterValue", "SMMUCommand", "StateChange",
    "CMDQVRegisters", "Swift", "String", "Int", "Bool", "UInt8", "UInt16", "UInt32", "UInt64", "Sendable",
    "CaseIterable", "Hashable", "Equatable", "CustomStringConvertible", "FixedWidthInteger", "UnsignedInteger",
    "Optional", "Array", "Never", "Error",
  ]

  /// Members of a generated enum a case must not shadow.
  static let enumMembers: Set<String> = [
    "mnemonic", "info", "allCases", "AllCases", "rawValue", "RawValue", "hashValue", "hash", "init",
  ]
  /// Members of a generated register value type a field must not shadow.
  static let valueMembers: Set<String> = [
    "rawValue", "Raw", "info", "Fields", "field", "setField", "description", "resetValue", "hashValue", "hash",
    "init",
  ]
  /// Stored members of the generated accessor types.
  static let accessorMembers: Set<String> = ["bus", "baseOffset", "initiator", "init"]

  /// Why `name` cannot be a Swift identifier, or `nil` when it can.
  static func problem(_ name: String) -> String? {
    guard let first = name.unicodeScalars.first else { return "is empty" }
    if ("0"..."9").contains(first) { return "starts with a digit" }
    if keywords.contains(name) { return "is a Swift keyword" }
    return nil
  }
}
