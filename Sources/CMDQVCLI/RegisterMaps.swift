import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport

/// The maps `regs` and `decode` work on.
enum RegisterMaps {
  static func layout(_ name: String?, command: String) throws(UsageError) -> RegisterMapLayout {
    switch name?.lowercased() {
    case nil, "tegra241-cmdqv", "tegra241_cmdqv", "cmdqv": Tegra241CMDQVMap.layout
    case "smmuv3", "smmu": SMMUv3Map.layout
    default: throw UsageError("unknown map '\(name ?? "")'; expected tegra241-cmdqv or smmuv3", help: command)
    }
  }

  static func hex(_ v: some BinaryInteger, width: Int = 0) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, width - s.count)) + s
  }

  /// Access of a register from its fields: `rw`, `ro`, … or `rw/ro` when mixed.
  static func access(_ info: RegisterInfo) -> String {
    var seen: [String] = []
    for f in info.fields where f.access != .reserved && !seen.contains(f.access.rawValue) { seen.append(f.access.rawValue) }
    return seen.isEmpty ? "-" : seen.joined(separator: "/")
  }

  static func fields(_ info: RegisterInfo) -> String {
    info.fields.filter { $0.access != .reserved }.map { "\($0.name)\($0.bitRange)" }.joined(separator: " ")
  }
}
