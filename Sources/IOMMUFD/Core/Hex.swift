/// Lower-case hexadecimal without a prefix, for errno messages.
func hex(_ value: UInt64) -> String { String(value, radix: 16) }
