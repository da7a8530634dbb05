/// CMDQ_ALLOC and VINTF CONFIG fields (`CMDQV_CMDQ_ALLOC_*`, `VINTF_*` in
/// tegra241-cmdqv.c, v6.17).
enum AllocBits {
  static let alloc: UInt32 = 1
  static let lvcmdqShift: UInt32 = 1
  static let lvcmdqMask: UInt32 = 0x7F
  static let vintfShift: UInt32 = 15
  static let vintfMask: UInt32 = 0x3F
  static let vintfEnable: UInt32 = 1
  static let vmidShift: UInt32 = 1
  static let hypOwn: UInt32 = 1 << 17
}
