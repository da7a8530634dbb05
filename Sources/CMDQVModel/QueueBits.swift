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
