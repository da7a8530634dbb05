import CMDQVRegisters

// The writers' hot path: MMIO accesses, commands and state changes encoded
// straight from the event, with no intermediate `TraceRecord` (whose strings
// and arrays would be allocated per record). Every other kind goes through
// `TraceRecord`. The bytes are identical to `TraceRecord(event).jsonLine` /
// `.textLine`; tests compare both paths over every shipped scenario.
extension TraceBytes {
  mutating func initiator(_ i: Initiator) {
    switch i {
    case .host: text("host")
    case .guest(let v):
      text("guest:")
      decimal(v)
    case .hardware: text("hw")
    }
  }

  mutating func jsonInitiator(_ i: Initiator) {
    byte(0x22)
    initiator(i)
    byte(0x22)
  }

  /// `VINTF1/VCMDQ2/LVCMDQ0` or `SMMU_CMDQ` (``CommandQueueID/description``).
  mutating func queue(_ q: CommandQueueID) {
    switch q {
    case .vcmdq(let index, let vintf, let lvcmdq):
      text("VINTF")
      decimal(vintf)
      text("/VCMDQ")
      decimal(index)
      text("/LVCMDQ")
      decimal(lvcmdq)
    case .smmuCMDQ: text("SMMU_CMDQ")
    }
  }

  /// The register's access name (``RegisterInstance/accessName``).
  mutating func accessName(_ r: RegisterInstance) {
    utf8(r.name)
    if r.info.width == 64 && r.halfOffset == 4 { text("[63:32]") }
  }

  // MARK: JSON Lines

  mutating func jsonEvent(_ event: HardwareEvent) {
    switch event.payload {
    case .mmio(let a): jsonMMIO(event, a)
    case .command(let c): jsonCommand(sequence: event.sequence, cycle: event.cycle, c)
    case .stateChange(let s): jsonState(event, s)
    default: TraceRecord(event).encodeJSON(into: &self)
    }
  }

  mutating func jsonMMIO(_ event: HardwareEvent, _ a: MMIOAccess) {
    jsonHead(seq: event.sequence, cycle: event.cycle, kind: a.direction == .read ? .mmioRead : .mmioWrite)
    key("initiator")
    jsonInitiator(a.initiator)
    key("map")
    jsonString(a.map)
    key("aperture")
    jsonString(a.register?.aperture ?? TraceRecord.aperture(ofOffset: a.offset, map: a.map))
    key("offset")
    jsonHex(UInt64(truncatingIfNeeded: a.offset))
    key("width")
    decimal(a.width)
    key("value")
    jsonHex(a.value)
    if let old = a.old { key("old"); jsonHex(old) }
    if let new = a.new { key("new"); jsonHex(new) }
    if let r = a.register {
      key("reg")
      byte(0x22)
      accessName(r)
      byte(0x22)
    }
    if let q = a.resolvedVCMDQ { key("vcmdq"); decimal(q) }
    if let r = a.register, let old = a.old, let new = a.new {
      var first = true
      for f in r.info.fields {
        let o = f.extract(from: old), n = f.extract(from: new)
        guard o != n else { continue }
        if first { key("fields"); byte(0x7B) }
        jsonField(first: first, name: f.name, old: o, new: n)
        first = false
      }
      if !first { byte(0x7D) }
    }
    key("accepted")
    a.accepted ? text("true") : text("false")
    byte(0x7D)
  }

  mutating func jsonCommand(sequence: UInt64, cycle: UInt64, _ c: ExecutedCommand) {
    jsonHead(seq: sequence, cycle: cycle, kind: .command)
    jsonCommandSource(c.source)
    decimal(UInt64(c.consIndex))
    jsonCommandOp(c.command)
    jsonCommandTail(c)
  }

  /// ``jsonCommand(sequence:cycle:_:)`` with the pieces that repeat between
  /// commands (the queue's keys, the opcode's) copied from `pieces`.
  mutating func jsonCommand(sequence: UInt64, cycle: UInt64, _ c: ExecutedCommand, pieces: CommandPieces) {
    jsonSequenceAndCycle(seq: sequence, cycle: cycle)
    append(pieces.jsonSource(c.source).buffer)
    decimal(UInt64(c.consIndex))
    append(pieces.jsonOp(c.command).buffer)
    jsonHex(c.command.dword0)
    byte(0x2C)
    jsonHex(c.command.dword1)
    byte(0x5D)
    let f = pieces.fields(c.command)
    if f & CommandPieces.streamID != 0 { key("sid"); jsonHex(UInt64(c.command.streamID)) }
    if let vsid = c.virtualStreamID { key("vsid"); jsonHex(UInt64(vsid)) }
    if f & CommandPieces.vmid != 0 { key("vmid"); jsonHex(UInt64(c.command.vmid)) }
    if f & CommandPieces.asid != 0 { key("asid"); jsonHex(UInt64(c.command.asid)) }
    if f & CommandPieces.address != 0 { key("addr"); jsonHex(c.command.address) }
    byte(0x7D)
  }

  /// From `,"vcmdq":` (or `,"queue":` for the SMMU queue) to `,"cons":`.
  mutating func jsonCommandSource(_ source: CommandQueueID) {
    if case .vcmdq(let index, _, _) = source { key("vcmdq"); decimal(index) }
    key("queue")
    byte(0x22)
    queue(source)
    byte(0x22)
    if case .vcmdq(_, let vintf, let lvcmdq) = source {
      key("vintf")
      decimal(vintf)
      key("lvcmdq")
      decimal(lvcmdq)
    }
    key("cons")
  }

  /// `,"op":"ATC_INV","dwords":[`.
  mutating func jsonCommandOp(_ command: SMMUCommand) {
    key("op")
    byte(0x22)
    opName(command)
    byte(0x22)
    key("dwords")
    byte(0x5B)
  }

  /// The dwords and the decoded fields, to the closing brace.
  mutating func jsonCommandTail(_ c: ExecutedCommand) {
    jsonHex(c.command.dword0)
    byte(0x2C)
    jsonHex(c.command.dword1)
    byte(0x5D)
    let f = c.decodedFields
    if let sid = f.streamID { key("sid"); jsonHex(UInt64(sid)) }
    if let vsid = c.virtualStreamID { key("vsid"); jsonHex(UInt64(vsid)) }
    if let vmid = f.vmid { key("vmid"); jsonHex(UInt64(vmid)) }
    if let asid = f.asid { key("asid"); jsonHex(UInt64(asid)) }
    if let addr = f.address { key("addr"); jsonHex(addr) }
    byte(0x7D)
  }

  mutating func jsonState(_ event: HardwareEvent, _ s: StateChange) {
    jsonHead(seq: event.sequence, cycle: event.cycle, kind: .state)
    key("old")
    jsonHex(s.old)
    key("new")
    jsonHex(s.new)
    key("entity")
    jsonString(s.entity)
    key("property")
    jsonString(s.property)
    byte(0x7D)
  }

  /// `ATC_INV`, or `OP_0x7F` for an unknown opcode (``TraceRecord/opName(_:)``).
  mutating func opName(_ c: SMMUCommand) {
    if let op = c.opcode {
      text(op.staticMnemonic)
    } else {
      text("OP_0x")
      let b = c.opcodeByte
      let digits: [UInt8] = Array("0123456789ABCDEF".utf8)
      if b >= 16 { byte(digits[Int(b >> 4)]) }
      byte(digits[Int(b & 0xF)])
    }
  }

  // MARK: Text

  mutating func textEvent(_ event: HardwareEvent) {
    switch event.payload {
    case .mmio(let a): textMMIO(event, a)
    case .command(let c): textCommand(sequence: event.sequence, cycle: event.cycle, c)
    case .stateChange(let s):
      textHead(seq: event.sequence, cycle: event.cycle)
      textState(entity: s.entity, property: s.property, old: s.old, new: s.new)
    default: TraceRecord(event).encodeText(into: &self)
    }
  }

  mutating func textMMIO(_ event: HardwareEvent, _ a: MMIOAccess) {
    textHead(seq: event.sequence, cycle: event.cycle)
    text(a.direction == .read ? "R " : "W ")
    initiator(a.initiator)
    byte(0x20)
    utf8(a.register?.aperture ?? TraceRecord.aperture(ofOffset: a.offset, map: a.map))
    byte(0x20)
    hex(UInt64(truncatingIfNeeded: a.offset))
    text(" w")
    decimal(a.width)
    byte(0x20)
    if a.width > 0 && a.width % 4 == 0 { paddedHex(a.value, digits: a.width / 4) } else { hex(a.value) }
    byte(0x20)
    if let r = a.register { accessName(r) } else { byte(0x2D) }
    if let q = a.resolvedVCMDQ { text(" -> VCMDQ"); decimal(q) }
    if let old = a.old, let new = a.new {
      byte(0x20)
      hex(old)
      text("->")
      hex(new)
      if let r = a.register {
        var first = true
        for f in r.info.fields {
          let o = f.extract(from: old), n = f.extract(from: new)
          guard o != n else { continue }
          text(first ? " {" : ", ")
          textField(name: f.name, old: o, new: n, info: f)
          first = false
        }
        if !first { byte(0x7D) }
      }
    }
    if !a.accepted { text(" ignored") }
  }

  mutating func textCommand(sequence: UInt64, cycle: UInt64, _ c: ExecutedCommand) {
    textHead(seq: sequence, cycle: cycle)
    textCommandSource(c.source)
    textCommandTail(c)
  }

  /// ``textCommand(sequence:cycle:_:)`` with the queue's part copied from `pieces`.
  mutating func textCommand(sequence: UInt64, cycle: UInt64, _ c: ExecutedCommand, pieces: CommandPieces) {
    textHead(seq: sequence, cycle: cycle)
    append(pieces.textSource(c.source).buffer)
    decimal(UInt64(c.consIndex))
    append(pieces.textOp(c.command).buffer)
    let f = pieces.fields(c.command)
    if f & CommandPieces.streamID != 0 { text(" sid="); hex(UInt64(c.command.streamID)) }
    if let vsid = c.virtualStreamID { text(" (vSID "); hex(UInt64(vsid)); byte(0x29) }
    if f & CommandPieces.vmid != 0 { text(" vmid="); hex(UInt64(c.command.vmid)) }
    if f & CommandPieces.asid != 0 { text(" asid="); hex(UInt64(c.command.asid)) }
    if f & CommandPieces.address != 0 { text(" addr="); hex(c.command.address) }
    textDwords(c.command)
  }

  /// ` [0x…16 0x…16]`.
  mutating func textDwords(_ command: SMMUCommand) {
    text(" [")
    paddedHex(command.dword0, digits: 16)
    byte(0x20)
    paddedHex(command.dword1, digits: 16)
    byte(0x5D)
  }

  /// `CMD VINTF1/VCMDQ2/LVCMDQ0 [`.
  mutating func textCommandSource(_ source: CommandQueueID) {
    text("CMD ")
    queue(source)
    text(" [")
  }

  mutating func textCommandTail(_ c: ExecutedCommand) {
    decimal(UInt64(c.consIndex))
    text("] ")
    opName(c.command)
    let f = c.decodedFields
    if let sid = f.streamID { text(" sid="); hex(UInt64(sid)) }
    if let vsid = c.virtualStreamID { text(" (vSID "); hex(UInt64(vsid)); byte(0x29) }
    if let vmid = f.vmid { text(" vmid="); hex(UInt64(vmid)) }
    if let asid = f.asid { text(" asid="); hex(UInt64(asid)) }
    if let addr = f.address { text(" addr="); hex(addr) }
    textDwords(c.command)
  }
}
