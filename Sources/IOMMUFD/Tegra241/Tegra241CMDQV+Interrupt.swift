import CMDQVRegisters

extension Tegra241CMDQV {
  /// `tegra241_cmdqv_isr`: read VINTF_ERR_MAP (high word, then low), log the
  /// CMDQ error maps, handle VINTF0 (skip the bad command and acknowledge),
  /// and report each user VINTF's two LVCMDQ error maps as a vEVENT without
  /// acknowledging anything (the guest owns its queues).
  public func handleInterrupt() {
    var vintfMap = registers.viErrMap.read().map
    let maps = (0..<4).reversed().map { registers.cmdqErrMap($0).read().map }
    warn(
      "unexpected error reported. vintf_map: 0x\(String(vintfMap, radix: 16, uppercase: true)), cmdq_err_map: "
        + maps.map { "0x" + hex8($0) }.joined(separator: " "))
    if vintfMap & 1 != 0, let vintf0 {
      handleVINTF0Error(vintf0)
      vintfMap &= ~1
    }
    while vintfMap != 0 {
      let idx = vintfMap.trailingZeroBitCount
      vintfMap &= ~(UInt64(1) << UInt64(idx))
      guard idx < numVINTFs, let vintf = vintfs[idx] else { continue }
      let errorMaps = (0..<2).map { vintf.registers.lvcmdqErrMap($0).read().map }
      reportUserError?(vintf, errorMaps)
      onUserError?(vintf, errorMaps)
    }
  }

  /// `tegra241_vintf0_handle_error`: for each set bit (lidx = 64*i + bit),
  /// read GERROR, skip the bad command, then write GERROR into GERRORN.
  func handleVINTF0Error(_ vintf: Tegra241VINTF) {
    for i in 0..<2 {
      var map = vintf.registers.lvcmdqErrMap(i).read().map
      while map != 0 {
        let bit = map.trailingZeroBitCount
        map &= ~(UInt64(1) << UInt64(bit))
        let lidx = 64 * i + bit
        guard lidx < numLVCMDQsPerVINTF, let vcmdq = vintf.lvcmdqs[lidx] else { continue }
        let gerror = vcmdq.page0.gerror.read().rawValue
        vcmdq.producer?.skipError()
        vcmdq.page0.gerrorn.write(VCMDQGErrorN(rawValue: gerror))
      }
    }
  }
}
