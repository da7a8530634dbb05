import CMDQVRegisters

extension CMDQVDevice {
  /// The handshake of `entity` never completes (its STATUS stays where it is)
  /// until ``clearInjections()``.
  public func injectStuckHandshake(_ entity: HandshakeEntity) throws {
    switch entity {
    case .cmdqv: cmdqvEnable.stuck = true
    case .vintf(let v):
      guard (0..<numVINTFs).contains(v) else { throw unknown(entity, "this device has \(numVINTFs) VINTFs") }
      vintfEnable[v].stuck = true
    case .vcmdq(let q):
      guard (0..<numVCMDQs).contains(q) else { throw unknown(entity, "this device has \(numVCMDQs) VCMDQs") }
      queues[q].enable.stuck = true
    case .lvcmdq(let v, let l):
      let q = try resolveLogical(entity, vintf: v, lvcmdq: l)
      queues[q].enable.stuck = true
      recordInjection("handshake of \(entity) (VCMDQ\(q)) never completes")
      return
    case .smmuCR0: smmuCR0Ack.stuck = true
    }
    recordInjection("handshake of \(entity) never completes")
  }

  /// The largest `atCommand` ordinal: 2^32 (so the target count never overflows).
  public static let maxCommandOrdinal = 1 << 32

  /// The `k`-th command `queue` consumes from now on (k in
  /// 1...``maxCommandOrdinal``) fails with CERROR `code` instead of
  /// executing (once).
  public func injectCommandError(code: UInt8, atCommand k: Int, on queue: QueueSelector) throws {
    let q: Int
    switch queue {
    case .vcmdq(let index):
      guard (0..<numVCMDQs).contains(index) else { throw unknown(queue, "this device has \(numVCMDQs) VCMDQs") }
      q = index
    case .lvcmdq(let v, let l): q = try resolveLogical(queue, vintf: v, lvcmdq: l)
    case .smmuCMDQ: q = smmuQueue
    }
    guard (1...Self.maxCommandOrdinal).contains(k) else {
      throw unknown(queue, "command ordinal \(k) must be in 1...\(Self.maxCommandOrdinal)")
    }
    guard (1...0x7F).contains(code) else { throw unknown(queue, "CERROR code \(code) must be in 1...127") }
    queues[q].forcedErrorAt = queues[q].executedCount + k
    queues[q].forcedErrorCode = code
    let name = if case .lvcmdq = queue { "\(queue) (VCMDQ\(q))" } else { "\(queue)" }
    recordInjection("\(name): command #\(k) from now fails with CERROR \(code)")
  }

  /// Every queue fetch touching `range` aborts (CERROR_ABT).
  public func injectFetchAbort(_ range: Range<UInt64>) throws {
    guard !range.isEmpty else {
      throw FaultInjectionError(target: "range \(range)", reason: "the physical address range is empty")
    }
    fetchAbortRanges.append(range)
    hot.pointee.hasFetchAborts = true
    recordInjection("fetch abort for 0x\(String(range.lowerBound, radix: 16))..<0x\(String(range.upperBound, radix: 16))")
  }

  /// Bit `bit` of the register at `offset` (an offset of the 32-bit word
  /// holding the bit) is forced to `value` on every read and write. Through
  /// a logical page, the register it currently aliases is the target.
  public func injectStuckBit(offset: Int, bit: Int, value: Bool, aperture: Aperture = .cmdqv) throws {
    let smmuAperture = aperture == .smmu
    let name = "\(smmuAperture ? "SMMU" : "CMDQV") offset 0x\(String(offset, radix: 16))"
    guard offset & 3 == 0 else { throw FaultInjectionError(target: name, reason: "offset is not 32-bit aligned") }
    let d = smmuAperture ? decodeSMMU(offset) : decode(offset)
    if let reason = d.fault { throw FaultInjectionError(target: name, reason: "no register there (\(reason.rawValue))") }
    guard (0..<32).contains(bit) else { throw FaultInjectionError(target: name, reason: "bit \(bit) is not in 0..<32") }
    let canonical = canonicalOffset(d)
    stuckBits.append(StuckBit(smmuAperture: smmuAperture, offset: canonical, bit: bit + 8 * d.half, value: value))
    hot.pointee.hasStuckBits = true
    recordInjection("\(name) bit \(bit) stuck at \(value ? 1 : 0)")
  }

  /// Removes every injection (stuck handshakes resume from where they were).
  public func clearInjections() {
    cmdqvEnable.stuck = false
    for v in 0..<numVINTFs { vintfEnable[v].stuck = false }
    for q in 0...numVCMDQs { queues[q].forcedErrorAt = 0; queues[q].enable.stuck = false }
    smmuCR0Ack.stuck = false
    stuckBits.removeAll()
    fetchAbortRanges.removeAll()
    hot.pointee.hasStuckBits = false
    hot.pointee.hasFetchAborts = false
    recordInjection("all injections cleared")
  }

  @inline(never)
  func applyStuckBits(_ d: DecodedAccess, _ value: UInt64, _ smmuAperture: Bool) -> UInt64 {
    let offset = canonicalOffset(d)
    var v = value
    for s in stuckBits where s.smmuAperture == smmuAperture && s.offset == offset {
      v = s.value ? v | 1 << UInt64(s.bit) : v & ~(1 << UInt64(s.bit))
    }
    return v
  }

  /// The global VCMDQ that VINTF `vintf`'s logical queue `lvcmdq` is mapped
  /// to now (`CMDQ_ALLOC`: the queue whose VINTF/LVCMDQ fields name them), or
  /// `nil` when none is, or the indices are out of range.
  public func globalVCMDQ(vintf: Int, lvcmdq: Int) -> Int? {
    guard (0..<numVINTFs).contains(vintf), (0..<CMDQVOffsets.maxLVCMDQs).contains(lvcmdq) else { return nil }
    let q = Int(logicalMap[vintf * CMDQVOffsets.maxLVCMDQs + lvcmdq])
    return q >= 0 ? q : nil
  }

  private func resolveLogical(_ target: some CustomStringConvertible, vintf: Int, lvcmdq: Int) throws -> Int {
    guard (0..<numVINTFs).contains(vintf) else { throw unknown(target, "this device has \(numVINTFs) VINTFs") }
    guard (0..<numLVCMDQs).contains(lvcmdq) else {
      throw unknown(target, "a VINTF of this device has \(numLVCMDQs) logical VCMDQs")
    }
    guard let q = globalVCMDQ(vintf: vintf, lvcmdq: lvcmdq) else {
      throw unknown(target, "no VCMDQ is mapped to it (CMDQ_ALLOC)")
    }
    return q
  }

  private func unknown(_ target: some CustomStringConvertible, _ reason: String) -> FaultInjectionError {
    FaultInjectionError(target: target.description, reason: reason)
  }

  private func recordInjection(_ text: String) {
    injections.append(text)
    emit(.injection(text))
  }
}
