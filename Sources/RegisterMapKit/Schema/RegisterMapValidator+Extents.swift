extension RegisterMapValidator {
  /// Sizes and alignment, checked arithmetically (no instance is expanded):
  /// every instance ends inside the aperture (``RegisterMapLimits``), the
  /// map holds at most ``RegisterMapLimits/maxInstances`` register instances,
  /// and block offsets and dimension strides keep every register aligned to
  /// its widest access. Returns whether the sizes are within the limits (the
  /// overlap checks expand instances only then).
  static func validateExtents(_ map: RegisterMapSpec, _ d: inout [Diagnostic]) -> Bool {
    var withinLimits = true
    var total = 0
    let aperture = RegisterMapLimits.apertureBytes
    for block in map.blocks {
      let align = block.registers.map { $0.accessWidths.contains(64) ? 8 : 4 }.max() ?? 4
      if block.offset % align != 0 {
        d.append(
          Diagnostic(
            "block '\(block.name)' at \(hex(block.offset)) is not aligned to its registers' \(align * 8)-bit accesses (a multiple of \(align))",
            at: block.mark))
      }
      // (A stride smaller than the block is reported as such, not twice.)
      for dim in block.dimensions where dim.count > 1 && dim.stride >= block.extent && dim.stride % align != 0 {
        d.append(
          Diagnostic(
            "stride \(hex(dim.stride)) of dimension '\(dim.label)' breaks the \(align * 8)-bit alignment of block '\(block.name)' (a multiple of \(align))",
            at: dim.mark))
      }
      // Registers of one block instance: count and end.
      var perInstance = 0
      for reg in block.registers {
        perInstance = saturatingAdd(perInstance, reg.count)
        let end = saturatingAdd(reg.offset, saturatingMultiply(reg.count - 1, reg.stride) + reg.width / 8)
        if end > aperture {
          d.append(
            Diagnostic(
              "register '\(block.name).\(reg.name)' ends at \(hex(end)), beyond the \(hex(aperture))-byte aperture",
              at: reg.mark))
          withinLimits = false
        }
      }
      // Block instances: count and the end of the last one.
      var instances = 1
      var end = saturatingAdd(block.offset, block.registers.map { $0.offset + $0.extent }.max() ?? 0)
      for dim in block.dimensions {
        instances = saturatingMultiply(instances, dim.count)
        end = saturatingAdd(end, saturatingMultiply(dim.count - 1, dim.stride))
      }
      if withinLimits && end > aperture {
        d.append(
          Diagnostic(
            "block '\(block.name)' instances end at \(hex(end)), beyond the \(hex(aperture))-byte aperture",
            at: block.mark))
        withinLimits = false
      }
      let before = total
      total = saturatingAdd(total, saturatingMultiply(instances, perInstance))
      if before <= RegisterMapLimits.maxInstances && total > RegisterMapLimits.maxInstances {
        d.append(
          Diagnostic(
            "the map has more than \(RegisterMapLimits.maxInstances) register instances: block '\(block.name)' (\(instances) instance(s) of \(perInstance) registers) takes it to \(total == Int.max ? "more" : "\(total)")",
            at: block.mark))
        withinLimits = false
      }
    }
    return withinLimits
  }

  static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
    let (v, o) = a.addingReportingOverflow(b)
    return o ? Int.max : v
  }

  static func saturatingMultiply(_ a: Int, _ b: Int) -> Int {
    let (v, o) = a.multipliedReportingOverflow(by: b)
    return o ? Int.max : v
  }
}
