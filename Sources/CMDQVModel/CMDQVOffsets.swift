/// The CMDQV and SMMU register offsets the model decodes by arithmetic
/// (the `TEGRA241_*` defines of tegra241-cmdqv.c, v6.17, and QEMU
/// hw/arm/tegra241-cmdqv.h). Kept private to the model
/// so the MMIO hot path never consults a dictionary; a test checks them
/// against the generated register map.
enum CMDQVOffsets {
  // CONFIG page (TEGRA241_CMDQV_CONFIG … TEGRA241_CMDQV_CMDQ_ALLOC).
  static let config = 0x0
  static let param = 0x4
  static let status = 0x8
  static let viErrMap = 0x14
  static let viIntMask = 0x1C
  static let cmdqErrMap = 0x24
  static let cmdqErrMapCount = 4
  static let cmdqAlloc = 0x200

  // Per-VINTF control block (TEGRA241_VINTF(v)).
  static let vintfBase = 0x1000
  static let vintfStride = 0x100
  static let vintfConfig = 0x00
  static let vintfStatus = 0x04
  static let sidMatch = 0x40
  static let sidReplace = 0x80
  static let lvcmdqErrMap = 0xC0
  static let lvcmdqErrMapCount = 2

  // VCMDQ pages (TEGRA241_VCMDQ_PAGE0/1).
  static let vcmdqPage0 = 0x10000
  static let vcmdqPage1 = 0x20000
  static let vcmdqStride = 0x80
  static let cons = 0x00
  static let prod = 0x04
  static let vcmdqConfig = 0x08
  static let vcmdqStatus = 0x0C
  static let gerror = 0x10
  static let gerrorn = 0x14
  static let base = 0x00
  static let consIndexBase = 0x08

  // VINTF logical pages (TEGRA241_VINTFi_PAGE0/1).
  static let vintfPageBase = 0x30000
  static let vintfPageStride = 0x20000
  static let logicalPage1 = 0x10000

  // Map capacities (from the field widths of CMDQ_ALLOC and the error maps).
  static let maxVINTFs = 64
  static let maxVCMDQs = 128
  static let maxLVCMDQs = 128
  static let maxSIDs = 16

  /// One byte past the last VINTF logical page.
  static let apertureSize = vintfPageBase + maxVINTFs * vintfPageStride
}
