import CMDQVRegisters

/// The fixed set of signals a VCD trace declares. VCD needs every variable
/// declared before `$enddefinitions`, but a streaming writer cannot know which
/// registers a run will touch; so the set is decided up front from the device
/// configuration (memory stays bounded: one value per signal).
///
/// Registers covered: `CMDQV` CONFIG/STATUS/VI_ERR_MAP; per configured VINTF
/// CONFIG/STATUS; per configured VCMDQ CONS/PROD/CONFIG/STATUS/GERROR/GERRORN,
/// BASE and its CMDQ_ALLOC; the SMMU CR0/CR0ACK/GERROR/GERRORN/CMDQ_BASE/
/// CMDQ_PROD/CMDQ_CONS; and event counters (irq, cmd, cmd_err, fault, violation).
public struct VCDSignalSet: Sendable {
  public private(set) var signals: [VCDSignal] = []
  private var byKey: [String: Int] = [:]

  /// Counter names in the `events` scope.
  public static let irqCount = "irq_count"
  public static let commandCount = "cmd_count"
  public static let commandErrorCount = "cmd_err_count"
  public static let faultCount = "fault_count"
  public static let violationCount = "violation_count"

  /// Signals for a device with `vintfs` VINTFs and `vcmdqs` global VCMDQs
  /// (clamped to the map's maxima), plus the SMMU queue registers when `smmu`.
  public init(vintfs: Int, vcmdqs: Int, smmu: Bool = true) {
    let cmdqv = Tegra241CMDQVMap.layout
    let global = cmdqv.block("CMDQV")
    for info in [CMDQVConfig.info, CMDQVStatus.info, VINTFErrMap.info] {
      add(block: global, info: info, indices: [], index: 0, scope: "", entity: "CMDQV", map: cmdqv.name)
    }
    let vintfBlock = cmdqv.block("VINTF")
    for v in 0..<min(max(vintfs, 0), vintfBlock.dimensions[0].count) {
      for info in [VINTFConfig.info, VINTFStatus.info] {
        add(block: vintfBlock, info: info, indices: [v], index: 0, scope: "VINTF\(v)", entity: "VINTF\(v)", map: cmdqv.name)
      }
    }
    let page0 = cmdqv.block("VCMDQ_PAGE0"), page1 = cmdqv.block("VCMDQ_PAGE1")
    for q in 0..<min(max(vcmdqs, 0), page0.dimensions[0].count) {
      let scope = "VCMDQ\(q)"
      for info in page0.registers {
        add(block: page0, info: info, indices: [q], index: 0, scope: scope, entity: scope, map: cmdqv.name)
      }
      add(block: page1, info: VCMDQBase.info, indices: [q], index: 0, scope: scope, entity: scope, map: cmdqv.name)
      add(block: global, info: CMDQAlloc.info, indices: [], index: q, scope: scope, entity: scope, map: cmdqv.name, name: "CMDQ_ALLOC")
    }
    if smmu {
      let layout = SMMUv3Map.layout
      let block = layout.block("SMMU")
      for info in [SMMUCR0.info, SMMUCR0Ack.info, SMMUGError.info, SMMUGErrorN.info, SMMUCMDQBase.info, SMMUCMDQProd.info, SMMUCMDQCons.info] {
        add(block: block, info: info, indices: [], index: 0, scope: "SMMU", entity: "SMMU", map: layout.name)
      }
    }
    for counter in [Self.irqCount, Self.commandCount, Self.commandErrorCount, Self.faultCount, Self.violationCount] {
      signals.append(
        VCDSignal(scope: "events", name: counter, width: 32, initial: 0, id: Self.identifier(signals.count)))
      byKey["events|\(counter)"] = signals.count - 1
    }
  }

  /// Signals for the configuration a `CMDQV_PARAM` value advertises
  /// (2^NUM_VINTF_LOG2 VINTFs, 2^NUM_VCMDQ_LOG2 VCMDQs).
  public init(param: CMDQVParam, smmu: Bool = true) {
    self.init(vintfs: 1 << Int(param.numVINTFLog2), vcmdqs: 1 << Int(param.numVCMDQLog2), smmu: smmu)
  }

  private mutating func add(
    block: BlockLayout, info: RegisterInfo, indices: [Int], index: Int, scope: String, entity: String, map: String,
    name: String? = nil
  ) {
    let instance = block.instanceName(of: info, indices: indices, index: index)
    let key = "\(map)|\(instance)"
    signals.append(
      VCDSignal(
        scope: scope, name: name ?? (scope.isEmpty ? instance : info.name), width: info.width,
        initial: info.valueFromConfiguration ? 0 : info.reset & info.widthMask, id: Self.identifier(signals.count),
        key: key, entity: entity, info: info))
    byKey[key] = signals.count - 1
  }

  /// The index of the signal for register instance `instance` of `map`
  /// (`tegra241_cmdqv`, `VCMDQ2_CONS`), or of counter `events|name`.
  public func index(map: String, instance: String) -> Int? { byKey["\(map)|\(instance)"] }

  /// The scopes in first-appearance order.
  public var scopes: [String] {
    var seen: Set<String> = [], out: [String] = []
    for s in signals where !s.scope.isEmpty && seen.insert(s.scope).inserted { out.append(s.scope) }
    return out
  }

  /// VCD identifier for signal `n`: base-94 over the printable ASCII `!`…`~`.
  static func identifier(_ n: Int) -> String {
    var n = n
    var scalars: [Character] = []
    repeat {
      scalars.append(Character(Unicode.Scalar(UInt8(33 + n % 94))))
      n /= 94
    } while n > 0
    return String(scalars)
  }
}
