import CMDQVRegisters
import Testing

@testable import CMDQVModel

/// Absolute CMDQV offsets, as the kernel macros compute them.
enum Off {
  static let config = 0x0, param = 0x4, status = 0x8
  static let viErrMapLo = 0x14, viErrMapHi = 0x18, viIntMaskLo = 0x1C
  static func cmdqErrMap(_ m: Int) -> Int { 0x24 + 4 * m }
  static func alloc(_ q: Int) -> Int { 0x200 + 4 * q }
  static func vintf(_ v: Int) -> Int { 0x1000 + 0x100 * v }
  static func vintfConfig(_ v: Int) -> Int { vintf(v) }
  static func vintfStatus(_ v: Int) -> Int { vintf(v) + 4 }
  static func sidMatch(_ v: Int, _ s: Int) -> Int { vintf(v) + 0x40 + 4 * s }
  static func sidReplace(_ v: Int, _ s: Int) -> Int { vintf(v) + 0x80 + 4 * s }
  static func lvcmdqErrMap(_ v: Int, _ m: Int) -> Int { vintf(v) + 0xC0 + 8 * m }
  static func page0(_ q: Int) -> Int { 0x10000 + 0x80 * q }
  static func page1(_ q: Int) -> Int { 0x20000 + 0x80 * q }
  static func lpage0(_ v: Int, _ l: Int) -> Int { 0x30000 + 0x20000 * v + 0x80 * l }
  static func lpage1(_ v: Int, _ l: Int) -> Int { lpage0(v, l) + 0x10000 }
  static let cons = 0x0, prod = 0x4, qconfig = 0x8, qstatus = 0xC, gerror = 0x10, gerrorn = 0x14
}

/// SMMU offsets.
enum SOff {
  static let idr1 = 0x4, cr0 = 0x20, cr0ack = 0x24, gerror = 0x60, gerrorn = 0x64
  static let cmdqBase = 0x90, cmdqProd = 0x98, cmdqCons = 0x9C
}

/// A configuration with every handshake at `latency` cycles.
func config(latency: Int = 0, commandsPerCycle: Int = 4, rules: RulePolicies = RulePolicies()) -> CMDQVConfiguration {
  var c = CMDQVConfiguration.default
  c.cmdqvLatency = .cycles(latency)
  c.vintfLatency = .cycles(latency)
  c.vcmdqLatency = .cycles(latency)
  c.smmuCR0Latency = .cycles(latency)
  c.commandsPerCycle = commandsPerCycle
  c.rulePolicies = rules
  return c
}

/// A prepared queue: where it lives and how to feed it.
struct TestQueue {
  let device: CMDQVDevice
  let vintf: Int
  let lidx: Int
  let global: Int
  let base: UInt64
  let log2Size: Int
  var page0: Int { Off.lpage0(vintf, lidx) }

  var prod: UInt32 { device.read32(at: page0 + Off.prod) }
  var cons: UInt32 { device.read32(at: page0 + Off.cons) }

  /// Writes `commands` at PROD and advances PROD past them (index + wrap).
  func submit(_ commands: [SMMUCommand], from initiator: Initiator = .host) {
    var p = prod
    let wrapIndex: UInt32 = (1 << UInt32(log2Size + 1)) - 1
    for c in commands {
      let index = UInt64(p & ((1 << UInt32(log2Size)) - 1))
      device.memory.storeCommand(c, at: base + 16 * index)
      p = (p + 1) & wrapIndex
    }
    device.write32(p, at: page0 + Off.prod, from: initiator)
  }
}

extension CMDQVDevice {
  /// The kernel's static assignment (`tegra241_cmdqv_hw_reset`, v6.17): q = v·n + l, ALLOC = 0.
  func assignStatically() {
    let n = configuration.numLVCMDQsPerVINTF
    for v in 0..<configuration.numVINTFs {
      for l in 0..<n { write32(UInt32(v) << 15 | UInt32(l) << 1, at: Off.alloc(v * n + l)) }
    }
  }

  /// Enables VINTF `vintf` and LVCMDQs 0...`lidx` (mapped in ascending
  /// order), programs BASE, enables the queue and settles every handshake.
  func makeQueue(
    vintf: Int = 0, lidx: Int = 0, hypOwn: Bool = true, vmid: UInt16 = 0, base: UInt64 = 0x8000_0000,
    log2Size: Int = 8
  ) -> TestQueue {
    assignStatically()
    let n = configuration.numLVCMDQsPerVINTF
    write32(UInt32(vmid) << 1 | (hypOwn ? 1 << 17 : 0) | 1, at: Off.vintfConfig(vintf))
    for l in 0...lidx {
      let q = vintf * n + l
      write32(read32(at: Off.alloc(q)) | 1, at: Off.alloc(q))
    }
    let q = vintf * n + lidx
    memory.backRange(base: base, length: UInt64(16) << UInt64(log2Size))
    write64(base | UInt64(log2Size), at: Off.lpage1(vintf, lidx))
    write32(1, at: Off.lpage0(vintf, lidx) + Off.qconfig)
    settle()
    return TestQueue(device: self, vintf: vintf, lidx: lidx, global: q, base: base, log2Size: log2Size)
  }

  /// Steps past every configured handshake latency.
  func settle() {
    let c = configuration
    step(cycles: max(c.cmdqvLatency.enable, c.vintfLatency.enable, c.vcmdqLatency.enable, c.smmuCR0Latency.enable,
      c.cmdqvLatency.disable, c.vintfLatency.disable, c.vcmdqLatency.disable) + 1)
  }
}

/// Records every event.
final class EventRecorder: HardwareEventSink {
  var events: [HardwareEvent] = []
  func record(_ event: HardwareEvent) { events.append(event) }
}

func expectReg(
  _ device: CMDQVDevice, _ offset: Int, _ expected: UInt32, _ what: String = "",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let got = device.read32(at: offset)
  #expect(
    got == expected,
    "\(what) @0x\(String(offset, radix: 16)): got 0x\(String(got, radix: 16)), want 0x\(String(expected, radix: 16))",
    sourceLocation: sourceLocation)
}
