import CMDQVRegisters

// Registers the hardware changes on its own (CONS as queues drain, the error
// maps and VINTF STATUS as errors come and go) are reported as state changes
// named after the register: `entity` is the instance prefix and `property`
// the register name with its array index, so `entity_property` is the
// register instance (`VCMDQ2` + `CONS`, `CMDQV` + `CMDQ_ERR_MAP0`,
// `VINTF1` + `LVCMDQ_ERR_MAP0`, `SMMU` + `CMDQ_CONS`). Only computed while
// someone observes the device.
extension CMDQVDevice {
  /// One cycle's consumption, then one `CONS` state change per queue whose
  /// CONS moved (a cycle's commands are one batch, so a busy queue adds at
  /// most one record per cycle, not one per command).
  func consumeReportingCONS() {
    // Only a queue that can consume now can move its CONS this cycle. The
    // snapshot is a temporary (on the stack when small): one per cycle.
    var ready = 0
    for w in 0..<readyWordCount { ready += readyWords[w].nonzeroBitCount }
    withUnsafeTemporaryAllocation(of: (q: Int, cons: UInt32).self, capacity: max(ready, 1)) { before in
      var n = 0
      for w in 0..<readyWordCount {
        var bits = readyWords[w]
        while bits != 0 {
          let q = w << 6 | bits.trailingZeroBitCount
          bits &= bits - 1
          before.initializeElement(at: n, to: (q, queues[q].cons))
          n += 1
        }
      }
      consumeOneCycle()
      for k in 0..<n where queues[before[k].q].cons != before[k].cons { reportCONS(before[k].q, old: before[k].cons) }
    }
  }

  /// Reports a hardware change of queue slot `q`'s CONS from `old`.
  func reportCONS(_ q: Int, old: UInt32) {
    let new = queues[q].cons
    guard new != old else { return }
    if q == smmuQueue {
      stateChanged("SMMU", "CMDQ_CONS", UInt64(old), UInt64(new))
    } else {
      stateChanged(queueName(q), "CONS", UInt64(old), UInt64(new))
    }
  }

  /// The derived registers (VI_ERR_MAP, CMDQ_ERR_MAPm, VINTFn STATUS,
  /// VINTFn LVCMDQ_ERR_MAPm) in a fixed order; see ``reportDerivedChanges(from:)``.
  func derivedRegisters() -> [UInt64] {
    var out: [UInt64] = [viErrMap()]
    for m in 0..<cmdqErrMapWords { out.append(UInt64(cmdqErrMap(m))) }
    for v in 0..<numVINTFs {
      out.append(UInt64(vintfStatus(v)))
      for m in 0..<lvcmdqErrMapWords { out.append(lvcmdqErrMap(vintf: v, word: m)) }
    }
    return out
  }

  /// Runs `body` and reports every derived register it changed (when observed).
  func reportingDerivedChanges(_ body: () -> Void) {
    guard observed else { return body() }
    let before = derivedRegisters()
    body()
    reportDerivedChanges(from: before)
  }

  func reportDerivedChanges(from before: [UInt64]) {
    let after = derivedRegisters()
    guard after != before else { return }
    var i = 0
    func report(_ entity: String, _ property: String) {
      if before[i] != after[i] { stateChanged(entity, property, before[i], after[i]) }
      i += 1
    }
    report("CMDQV", "VI_ERR_MAP")
    for m in 0..<cmdqErrMapWords { report("CMDQV", "CMDQ_ERR_MAP\(m)") }
    for v in 0..<numVINTFs {
      report("VINTF\(v)", "STATUS")
      for m in 0..<lvcmdqErrMapWords { report("VINTF\(v)", "LVCMDQ_ERR_MAP\(m)") }
    }
  }

  var cmdqErrMapWords: Int { (numVCMDQs + 31) / 32 }
  var lvcmdqErrMapWords: Int { (numLVCMDQs + 63) / 64 }

  /// The register at `offset` of the CMDQV aperture (or the SMMU aperture
  /// when `smmu`), read without side effects: no event, no sequence number,
  /// no access fault. `nil` when a read there would fault. For debuggers
  /// (`cmdqv step`'s `peek`) and assertions that must not perturb a trace.
  public func peek(at offset: Int, width: Int = 32, smmu: Bool = false) -> UInt64? {
    let d = check(offset, width: width, smmuAperture: smmu)
    if d.isFault { return nil }
    var full = registerValue(d)
    if hot.pointee.hasStuckBits { full = applyStuckBits(d, full, smmu) }
    return width == 64 ? full : (d.half == 4 ? full >> 32 : full & 0xFFFF_FFFF)
  }

  /// The whole register at `offset` of map `map` (`tegra241_cmdqv` or
  /// `smmuv3`), `width` bits, read without side effects as two 32-bit
  /// halves for a 64-bit register (so registers the map allows only as
  /// halves read too); `nil` when it would fault. A trace writer attached
  /// mid-run (or at reset) takes its initial values from here.
  public func peekRegister(map: String, offset: Int, width: Int) -> UInt64? {
    let smmu = map == SMMUv3Map.name
    guard width == 64 else { return peek(at: offset, smmu: smmu) }
    guard let lo = peek(at: offset, smmu: smmu), let hi = peek(at: offset + 4, smmu: smmu) else { return nil }
    return lo | hi << 32
  }
}
