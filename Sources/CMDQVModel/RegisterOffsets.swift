/// The CMDQV and SMMU register offsets the model decodes by arithmetic
/// (kernel-facts §A.1–A.5, emulator-lessons §1.3). Kept private to the model
/// so the MMIO hot path never consults a dictionary; a test checks them
/// against the generated register map.
enum CMDQVOffsets {
  // CONFIG page (kernel-facts §A.2).
  static let config = 0x0
  static let param = 0x4
  static let status = 0x8
  static let viErrMap = 0x14
  static let viIntMask = 0x1C
  static let cmdqErrMap = 0x24
  static let cmdqErrMapCount = 4
  static let cmdqAlloc = 0x200

  // Per-VINTF control block (kernel-facts §A.3).
  static let vintfBase = 0x1000
  static let vintfStride = 0x100
  static let vintfConfig = 0x00
  static let vintfStatus = 0x04
  static let sidMatch = 0x40
  static let sidReplace = 0x80
  static let lvcmdqErrMap = 0xC0
  static let lvcmdqErrMapCount = 2

  // VCMDQ pages (kernel-facts §A.4, §A.5).
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

  // VINTF logical pages (kernel-facts §A.1).
  static let vintfPageBase = 0x30000
  static let vintfPageStride = 0x20000
  static let logicalPage1 = 0x10000

  // Map capacities (field widths, kernel-facts §A.2).
  static let maxVINTFs = 64
  static let maxVCMDQs = 128
  static let maxLVCMDQs = 128
  static let maxSIDs = 16

  /// One byte past the last VINTF logical page.
  static let apertureSize = vintfPageBase + maxVINTFs * vintfPageStride
}

/// SMMUv3 register offsets (kernel-facts §A.6, arm-smmu-v3.h).
enum SMMUOffsets {
  static let idr1 = 0x04
  static let cr0 = 0x20
  static let cr0ack = 0x24
  static let gerror = 0x60
  static let gerrorn = 0x64
  static let cmdqBase = 0x90
  static let cmdqProd = 0x98
  static let cmdqCons = 0x9C
  /// SMMU page 0 and page 1.
  static let apertureSize = 0x20000
  static let cr0CMDQEN: UInt32 = 1 << 3
}

/// Bit positions shared by the VCMDQ and SMMU queue registers.
enum QueueBits {
  static let consErrShift: UInt32 = 24
  static let consErrMask: UInt32 = 0x7F << 24
  static let gerrorCMDQErr: UInt32 = 1 << 0
  static let gerrorConsDRAMWrAbt: UInt32 = 1 << 1
  static let gerrorCMDQInitErr: UInt32 = 1 << 2
  static let gerrorPendingMask: UInt32 = 0x7
  static let maxLog2Size = 19
  /// VCMDQ_BASE.VCMDQ_ADDR [47:5].
  static let vcmdqAddrMask: UInt64 = 0x0000_FFFF_FFFF_FFE0
  /// SMMU CMDQ_BASE.ADDR [51:5].
  static let smmuAddrMask: UInt64 = 0x000F_FFFF_FFFF_FFE0
  static let log2SizeMask: UInt64 = 0x1F
}

/// CMDQ_ALLOC and VINTF CONFIG fields (kernel-facts §A.2, §A.3).
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
