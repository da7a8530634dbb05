/// A parsed JSON value with the 1-based byte column where it starts, so
/// schema errors can point into the line.
indirect enum JSONValue {
  case string(String, column: Int)
  /// The number's source text (kept exact: 64-bit integers must not pass
  /// through a double).
  case number(String, column: Int)
  case bool(Bool, column: Int)
  case null(column: Int)
  case array([JSONValue], column: Int)
  case object([(key: String, keyColumn: Int, value: JSONValue)], column: Int)

  var column: Int {
    switch self {
    case .string(_, let c), .number(_, let c), .bool(_, let c), .null(let c), .array(_, let c), .object(_, let c): c
    }
  }

  /// `string`, `number`, … for messages.
  var typeName: String {
    switch self {
    case .string: "string"
    case .number: "number"
    case .bool: "boolean"
    case .null: "null"
    case .array: "array"
    case .object: "object"
    }
  }
}
