import CMDQVRegisters

extension TraceRecord {
  /// The record of one hardware event.
  public init(_ event: HardwareEvent) {
    let kind = TraceKind(rawValue: event.kind) ?? .note
    self.init(seq: event.sequence, cycle: event.cycle, kind: kind)
    switch event.payload {
    case .mmio(let a): setMMIO(a)
    case .command(let c): setCommand(c)
    case .commandError(let e): setCommandError(e)
    case .stateChange(let s):
      entity = s.entity
      property = s.property
      old = s.old
      new = s.new
    case .accessFault(let f): setAccessFault(f)
    case .ruleViolation(let v): setViolation(v)
    case .interrupt(let i):
      line = i.line
      count = i.count
      cause = i.cause
    case .injection(let s): text = s
    case .note(let s): text = s
    case .step(let m):
      step = m.number
      action = m.action
      src = m.source
    }
  }

  private mutating func setMMIO(_ a: MMIOAccess) {
    initiator = a.initiator.traceLabel
    map = a.map
    aperture = a.register?.aperture ?? Self.aperture(ofOffset: a.offset, map: a.map)
    offset = a.offset
    width = a.width
    value = a.value
    old = a.old
    new = a.new
    reg = a.register?.accessName
    vcmdq = a.resolvedVCMDQ
    let changed = a.changedFields
    if !changed.isEmpty {
      fields = changed.map { TraceFieldChange(name: $0.field.name, old: $0.old, new: $0.new) }
    }
    accepted = a.accepted
  }

  /// The description of field `name` of this record's register (looked up
  /// in the map by offset), for rendering its values.
  func fieldInfo(named name: String) -> FieldInfo? {
    guard let map, let offset, let layout = Self.layout(named: map) else { return nil }
    return layout.decode(offset: offset)?.info.field(named: name)
  }

  private mutating func setQueue(_ q: CommandQueueID) {
    queue = q.description
    if case .vcmdq(let index, let vi, let lv) = q {
      vcmdq = index
      vintf = vi
      lvcmdq = lv
    }
  }

  private mutating func setCommand(_ c: ExecutedCommand) {
    setQueue(c.source)
    cons = Int(c.consIndex)
    op = Self.opName(c.command)
    dwords = [c.command.dword0, c.command.dword1]
    sid = c.streamID.map(Int.init)
    vsid = c.virtualStreamID.map(Int.init)
    vmid = c.vmid.map(Int.init)
    asid = c.asid.map(Int.init)
    addr = c.address
  }

  private mutating func setCommandError(_ e: CommandError) {
    setQueue(e.source)
    cons = Int(e.consIndex)
    code = Int(e.code)
    codeName = e.codeName
    reason = e.reason
    if let c = e.command {
      op = Self.opName(c)
      dwords = [c.dword0, c.dword1]
    }
  }

  private mutating func setAccessFault(_ f: AccessFault) {
    reason = f.reason.rawValue
    direction = f.direction == .read ? "r" : "w"
    initiator = f.initiator.traceLabel
    map = f.map
    // The fault names no aperture; find it so every MMIO-ish line has one.
    aperture = Self.aperture(ofOffset: f.offset, map: f.map)
    offset = f.offset
    width = f.width
    value = f.value
    reg = f.register
  }

  private mutating func setViolation(_ v: RuleViolation) {
    rule = v.rule.rawValue
    source = v.source
    desc = v.detail
    initiator = v.initiator?.traceLabel
    switch v.access {
    case .mmioWrite(let m, let o, let w, let value, let register):
      map = m
      aperture = Self.aperture(ofOffset: o, map: m)
      offset = o
      width = w
      self.value = value
      reg = register
    case .memoryWrite(let address, let length):
      addr = address
      count = length
    }
  }

  static func opName(_ c: SMMUCommand) -> String {
    c.opcode?.mnemonic ?? "OP_0x\(String(c.opcodeByte, radix: 16, uppercase: true))"
  }

  /// The aperture of the block instance whose register extent contains
  /// `offset` (so a misaligned access inside VINTF1 still says `config`), or
  /// `unmapped` outside every block.
  static func aperture(ofOffset offset: Int, map: String) -> String {
    guard let layout = layout(named: map) else { return "unmapped" }
    if let reg = layout.decode(offset: offset) { return reg.aperture }
    for block in layout.blocks where block.span.contains(offset) {
      var rel = offset - block.base
      var inside = true
      for d in block.dimensions {
        let i = rel / d.stride
        if i >= d.count { inside = false; break }
        rel -= i * d.stride
      }
      if inside && rel < block.extent { return block.aperture }
    }
    return "unmapped"
  }

  static func layout(named map: String) -> RegisterMapLayout? {
    switch map {
    case Tegra241CMDQVMap.name: Tegra241CMDQVMap.layout
    case SMMUv3Map.name: SMMUv3Map.layout
    default: nil
    }
  }
}
