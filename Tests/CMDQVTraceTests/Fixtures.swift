import CMDQVRegisters
import CMDQVTrace
import Foundation

/// Hand-built events: MMIO accesses decode their register from the generated
/// layouts, as the model does.
enum Fixture {
  static let cmdqv = Tegra241CMDQVMap.layout
  static let smmu = SMMUv3Map.layout

  /// A write that landed: `new` follows the register's access rules, for a
  /// full-width or an upper/lower-half access.
  static func write(
    _ seq: UInt64, _ cycle: UInt64, _ offset: Int, _ value: UInt64, old: UInt64 = 0, width: Int = 32,
    initiator: Initiator = .host, resolvedVCMDQ: Int? = nil, layout: RegisterMapLayout = cmdqv, accepted: Bool = true
  ) -> HardwareEvent {
    let reg = layout.decode(offset: offset)
    var newValue: UInt64?
    if let reg, accepted {
      let shift = UInt64(reg.halfOffset * 8)
      let merged: UInt64
      if width == reg.info.width {
        merged = value
      } else {
        let laneMask: UInt64 = 0xFFFF_FFFF << shift
        merged = (old & ~laneMask) | ((value << shift) & laneMask)
      }
      newValue = reg.info.applyWrite(merged, to: old)
    }
    let access = MMIOAccess(
      direction: .write, initiator: initiator, map: layout.name, offset: offset, width: width, value: value,
      old: newValue == nil ? nil : old, new: newValue, register: reg, resolvedVCMDQ: resolvedVCMDQ, accepted: accepted)
    return HardwareEvent(sequence: seq, cycle: cycle, payload: .mmio(access))
  }

  static func read(
    _ seq: UInt64, _ cycle: UInt64, _ offset: Int, _ value: UInt64, width: Int = 32, initiator: Initiator = .host,
    resolvedVCMDQ: Int? = nil, layout: RegisterMapLayout = cmdqv
  ) -> HardwareEvent {
    let access = MMIOAccess(
      direction: .read, initiator: initiator, map: layout.name, offset: offset, width: width, value: value,
      register: layout.decode(offset: offset), resolvedVCMDQ: resolvedVCMDQ)
    return HardwareEvent(sequence: seq, cycle: cycle, payload: .mmio(access))
  }

  static func event(_ seq: UInt64, _ cycle: UInt64, _ payload: HardwareEvent.Payload) -> HardwareEvent {
    HardwareEvent(sequence: seq, cycle: cycle, payload: payload)
  }

  static let vcmdq2 = CommandQueueID.vcmdq(index: 2, vintf: 1, lvcmdq: 0)

  static func command(_ seq: UInt64, _ cycle: UInt64, _ c: SMMUCommand, vsid: UInt32? = nil, cons: UInt32 = 3)
    -> HardwareEvent
  {
    event(seq, cycle, .command(ExecutedCommand(command: c, source: vcmdq2, consIndex: cons, virtualStreamID: vsid, cycle: cycle)))
  }

  static func state(_ seq: UInt64, _ cycle: UInt64, _ entity: String, _ property: String, _ old: UInt64, _ new: UInt64)
    -> HardwareEvent
  {
    event(seq, cycle, .stateChange(StateChange(entity: entity, property: property, old: old, new: new)))
  }

  /// One event of every kind (and the MMIO variants), with 64-bit values at
  /// and above 2^63 and free text that needs escaping.
  static func everyKind() -> [HardwareEvent] {
    [
      write(1, 0, 0x0, 0x2_0083, old: 0x2_0082),
      write(2, 1, 0x1100, 0x1),
      read(3, 2, 0x50080, 0, initiator: .guest(vintf: 1), resolvedVCMDQ: 2),
      write(4, 3, 0x20004, 0x1, width: 32),
      write(5, 4, 0x20000, 0xFFFF_0000_0000_0123, width: 64),
      write(6, 5, 0x20, 0x1, layout: smmu),
      write(7, 6, 0x1104, 0x1, accepted: false),
      command(8, 7, .atcInv(streamID: 0x100), vsid: 0x10),
      command(9, 8, .tlbiNHVA(asid: 0xFFFF, vmid: 3, address: 0xFFFF_FFFF_FFFF_F000)),
      event(
        10, 9,
        .commandError(CommandError(source: vcmdq2, consIndex: 4, code: 1, command: .raw(opcode: 0x7F), reason: "opcode not allowed"))),
      event(11, 9, .commandError(CommandError(source: .smmuCMDQ, consIndex: 0, code: 2, command: nil, reason: "fetch abort"))),
      state(12, 10, "VINTF1", "ENABLE_OK", 0, 1),
      state(13, 10, "CMDQV", "counter", 0, UInt64.max),
      event(14, 11, .interrupt(InterruptEvent(line: "CMDQV_ERR", count: 1, cause: "VINTF1 LVCMDQ0 error"))),
      event(
        15, 12,
        .accessFault(AccessFault(reason: .unmapped, direction: .write, initiator: .host, map: cmdqv.name, offset: 0xFFF0, width: 32, value: 5))),
      event(
        16, 12,
        .accessFault(
          AccessFault(
            reason: .unassignedLogicalQueue, direction: .read, initiator: .guest(vintf: 1), map: cmdqv.name,
            offset: 0x50100, width: 32, value: 0, register: "VINTF1_LVCMDQ2_CONS"))),
      event(
        17, 13,
        .ruleViolation(
          RuleViolation(
            rule: .lvcmdqMapAscending, detail: "VINTF1: mapped LVCMDQ1 while LVCMDQ0 is unmapped",
            source: "tegra241-cmdqv.c: tegra241_vintf_hw_init, v6.17",
            access: .mmioWrite(map: "tegra241_cmdqv", offset: 0x20C, width: 32, value: 0x8003, register: "CMDQV_CMDQ_ALLOC3"),
            initiator: .host, cycle: 13, sequence: 17, registers: ["CMDQV_CMDQ_ALLOC3"]))),
      event(18, 14, .injection("stuck-at bit 3 on VCMDQ2_STATUS")),
      event(19, 14, .note("step 3: \"quoted\"\tand\nnewline, ü, \u{1}")),
      event(20, 15, .step(StepMarker(number: 4, action: "destroy \"q0\"", source: "Docs/Scenarios/x.yaml:12"))),
      state(21, 15, "VCMDQ2", "CONS", 0x3, 0x100_0004),
    ]
  }
}

/// An output that keeps only counts: how many bytes arrived and the largest
/// single write (what the writer held at once).
final class CountingOutput: TraceOutput {
  var totalBytes = 0
  var largestWrite = 0
  var writes = 0
  var newlines = 0
  var flushes = 0
  var closed = false

  func write(_ bytes: [UInt8]) throws {
    totalBytes += bytes.count
    largestWrite = max(largestWrite, bytes.count)
    writes += 1
    newlines += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
  }

  func flush() throws { flushes += 1 }
  func close() throws { closed = true }
}

/// An output whose writes fail.
final class FailingOutput: TraceOutput {
  struct Failure: Error {}
  func write(_ bytes: [UInt8]) throws { throw Failure() }
  func flush() throws {}
  func close() throws {}
}

/// A unique scratch path under the temporary directory.
func scratchPath(_ name: String) -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cmdqv-trace-tests-\(getpid())")
  try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir.appendingPathComponent("\(UUID().uuidString)-\(name)").path
}

/// SplitMix64: a seeded generator so fuzz failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
