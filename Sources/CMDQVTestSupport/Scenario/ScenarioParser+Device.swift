import CMDQVModel
import RegisterMapKit

extension ScenarioParser {
  static let deviceKeys = [
    "preset", "vintfs", "vcmdqs", "sids_per_vintf", "version", "cmdqs", "commands_per_cycle", "cycles_per_us",
    "latency", "rules",
  ]

  /// `device:`: a preset plus overrides. Counts are written as numbers and
  /// must be powers of two (the PARAM register holds their log2).
  static func parseDevice(_ node: YAMLNode, sink: DiagnosticSink) -> CMDQVConfiguration {
    let f = ScenarioFields(node, context: "device", allowed: deviceKeys, sink: sink)
    var c = CMDQVConfiguration.default
    if let preset = f.scalar("preset", required: false) {
      switch preset.text {
      case "default": c = .default
      case "qemu-guest": c = .qemuGuest
      default: sink.add("unknown device preset '\(preset.text)'; expected default or qemu-guest", at: preset.mark)
      }
    }
    func log2(_ key: String, max: Int) -> Int? {
      guard let s = f.scalar(key, required: false), let v = sink.int(s, in: 1...(1 << max), what: "'\(key)' in device")
      else { return nil }
      guard v & (v - 1) == 0 else {
        sink.add("'\(key)' in device must be a power of two (PARAM holds its log2), got \(s.text)", at: s.mark)
        return nil
      }
      return v.trailingZeroBitCount
    }
    if let v = log2("vintfs", max: 6) { c.log2VINTFs = v }
    if let v = log2("vcmdqs", max: 7) { c.log2VCMDQs = v }
    if let v = log2("sids_per_vintf", max: 4) { c.log2SIDsPerVINTF = v }
    if c.log2VCMDQs < c.log2VINTFs {
      sink.add(
        "device has \(c.numVCMDQs) VCMDQs for \(c.numVINTFs) VINTFs; each VINTF needs at least one (vcmdqs ≥ vintfs)",
        at: f.has("vcmdqs") ? f.keyMark("vcmdqs") : f.keyMark("vintfs"))
    }
    if let v = f.int("version", in: 0...15) { c.version = UInt8(v) }
    if let v = f.int("cmdqs", in: 0...19) { c.smmuCMDQS = v }
    if let v = f.int("commands_per_cycle", in: 1...1_000_000) { c.commandsPerCycle = v }
    if let v = f.int("cycles_per_us", in: 1...1_000_000_000) { c.cyclesPerMicrosecond = UInt64(v) }
    if let node = f.mapping["rules"] { c.rulePolicies = parseRulePolicies(node, sink: sink) }
    if let node = f.mapping["latency"] {
      let l = ScenarioFields(node, context: "device latency", allowed: ["cmdqv", "vintf", "vcmdq", "smmu_cr0"], sink: sink)
      func latency(_ key: String) -> HandshakeLatency? {
        guard let node = l.mapping[key] else { return nil }
        if case .mapping = node {
          let e = ScenarioFields(node, context: "latency '\(key)'", allowed: ["enable", "disable"], sink: sink)
          let enable = e.int("enable", in: 0...1_000_000, required: true) ?? 0
          let disable = e.int("disable", in: 0...1_000_000, required: true) ?? 0
          return HandshakeLatency(enable: enable, disable: disable)
        }
        return l.int(key, in: 0...1_000_000).map { .cycles($0) }
      }
      if let v = latency("cmdqv") { c.cmdqvLatency = v }
      if let v = latency("vintf") { c.vintfLatency = v }
      if let v = latency("vcmdq") { c.vcmdqLatency = v }
      if let v = latency("smmu_cr0") { c.smmuCR0Latency = v }
    }
    return c
  }
}
