/// Lower-case hexadecimal without a prefix, for errno messages.
func hex(_ value: UInt64) -> String { String(value, radix: 16) }

/// `%08X`: eight upper-case digits, as the kernel's messages print registers.
func hex8(_ v: UInt32) -> String {
  let h = String(v, radix: 16, uppercase: true)
  return String(repeating: "0", count: max(0, 8 - h.count)) + h
}
