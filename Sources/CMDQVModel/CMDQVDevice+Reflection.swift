import CMDQVRegisters

/// What a debugger shows for a device: the state as snapshots (every VINTF
/// and VCMDQ, not only what the fixed buffers' first element shows) and the
/// logs' counts; never the memory model's page table.
extension CMDQVDevice: CustomReflectable {
  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "cycle": cycle, "configuration": configuration,
        "CMDQV_CONFIG": "0x" + String(cmdqvConfig, radix: 16),
        "CMDQV_STATUS": "0x" + String(cmdqvEnable.current, radix: 16),
        "vintfs": (0..<numVINTFs).map(vintf), "vcmdqs": (0..<numVCMDQs).map(vcmdq), "smmuCMDQ": smmuCMDQ,
        "commandsExecuted": executedCommandCount, "commandErrors": commandErrors,
        "faults": faults, "interrupts": interruptCount, "memory": memory,
      ], displayStyle: .class)
  }
}

/// A summary, never the page table.
extension PhysicalMemoryModel: CustomReflectable, CustomStringConvertible {
  public var description: String { "PhysicalMemoryModel: \(backedPageCount) pages of 4 KiB backed" }

  public var customMirror: Mirror { Mirror(self, children: ["backedPages": backedPageCount], displayStyle: .class) }
}

@DebugDescription
extension VCMDQSnapshot {
  public var debugDescription: String { "VCMDQ PROD=\(prod) CONS=\(cons) BASE=\(base) GERROR=\(gerror) GERRORN=\(gerrorn)" }
}

@DebugDescription
extension VINTFSnapshot {
  public var debugDescription: String { "VINTF\(index) enabled=\(enabled) VMID=\(vmid)" }
}
