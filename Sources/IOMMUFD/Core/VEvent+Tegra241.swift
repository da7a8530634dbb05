extension VEvent {
  /// `IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV` (include/uapi/linux/iommufd.h).
  public static let typeTegra241CMDQV: UInt32 = 2

  /// The payload decoded as `struct iommu_vevent_tegra241_cmdqv`: the two
  /// little-endian 64-bit words `lvcmdq_err_map[0]` and `[1]` (bit `b` of word
  /// `m` is LVCMDQ `64*m + b` of the VINTF), or `nil` when this is not a
  /// 16-byte event of type TEGRA241_CMDQV.
  public var lvcmdqErrorMaps: [UInt64]? {
    guard type == Self.typeTegra241CMDQV, case .event(let data) = kind, data.count == 16 else { return nil }
    var words: [UInt64] = [0, 0]
    for index in 0..<16 {
      let byte = UInt64(data[index])
      words[index / 8] |= byte << UInt64(8 * (index % 8))
    }
    return words
  }

  func hex16(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
  }
}
