import CMDQVRegisters

extension CMDQVDevice {
  /// The bytes of VINTF page0 (`TEGRA241_VINTFi_PAGE0`): what the VMM
  /// mmaps into a guest (`tegra241-cmdqv.c: tegra241_cmdqv_init_vintf_user`,
  /// v6.17).
  static let vintfPage0Length = 0x10000

  /// A guest reaches the device only through the page0 of its own VINTF
  /// (the mmap window), whatever offset a raw guest-tagged access names:
  /// anything else (another VINTF's page, the global registers, the SMMU) is
  /// refused like an access outside the window, as an access fault naming
  /// the initiator. `nil` when the access may proceed.
  func guestConfinementFault(_ offset: Int, width: Int, _ initiator: Initiator, smmuAperture: Bool)
    -> AccessFault.Reason?
  {
    guard case .guest(let vintf) = initiator else { return nil }
    guard !smmuAperture, (0..<CMDQVOffsets.maxVINTFs).contains(vintf) else { return .outsideGuestWindow }
    let start = CMDQVOffsets.vintfPageBase + vintf * CMDQVOffsets.vintfPageStride
    let bytes = max(width / 8, 1)
    guard offset >= start, offset <= start + Self.vintfPage0Length - bytes else { return .outsideGuestWindow }
    return nil
  }
}
