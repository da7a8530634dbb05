import CMDQVRegisters

/// The fixed set of signals a VCD trace declares. VCD needs every variable
/// declared before `$enddefinitions`, but a streaming writer cannot know which
/// registers a run will touch; so the set is decided up front from the device
/// configuration (memory stays bounded: one value per signal).
///
/// Scopes follow the hardware (all names lowercase):
/// - `cmdqv`: `config`, `status`, `vi_err_map`, `vi_int_mask`, `cmdq_err_mapM`;
/// - `cmdqv.vintfN`: `config`, `status`, `lvcmdq_err_mapM`;
/// - `cmdqv.vintfN.lvcmdqL`: the registers of the global VCMDQ that backs
///   the logical queue (`cons`, `prod`, `config`, `status`, `gerror`,
///   `gerrorn`, `base`) and `vcmdq`, its index; `x` while no VCMDQ is
///   assigned to it;
/// - `cmdqv.vcmdqQ`: `cons`, `prod`, `config`, `status`, `gerror`,
///   `gerrorn`, `base`, `alloc` (its CMDQ_ALLOC);
/// - `cmdqv.smmu`: `cr0`, `cr0ack`, `gerror`, `gerrorn`, `cmdq_base`,
///   `cmdq_prod`, `cmdq_cons`;
/// - `cmdqv.events`: one signal per ``VCDEventSignal``.
public struct VCDSignalSet: Sendable {
  public private(set) var signals: [VCDSignal] = []
  public let vintfs: Int
  public let vcmdqs: Int
  public let lvcmdqsPerVINTF: Int
  /// Model cycles per microsecond of driver time (sets the VCD timescale).
  public let cyclesPerMicrosecond: UInt64
  private var byInstance: [String: Int] = [:]
  /// Register signals by map and absolute offset (the hot lookup: no key
  /// string is built per event).
  private var byOffset: [String: [Int: Int]] = [:]

  /// The VCMDQ registers a logical queue mirrors, in alias-signal order.
  static let aliasRegisters: [RegisterInfo] = [
    VCMDQCons.info, VCMDQProd.info, VCMDQConfig.info, VCMDQStatus.info, VCMDQGError.info, VCMDQGErrorN.info,
    VCMDQBase.info,
  ]
  /// Per VCMDQ: its signal for each alias register (same order), and CMDQ_ALLOC.
  private(set) var vcmdqSignals: [[Int]] = []
  private(set) var allocSignal: [Int] = []
  /// Per logical slot (`vintf * lvcmdqsPerVINTF + lvcmdq`): the first alias
  /// signal (the alias registers, then `vcmdq`).
  private(set) var aliasBase: [Int] = []
  /// For each signal: the VCMDQ and the position in ``aliasRegisters`` it
  /// shows, or -1.
  private(set) var vcmdqOfSignal: [Int] = []
  private(set) var aliasPositionOfSignal: [Int] = []
  private(set) var eventSignals: [Int] = []

  /// Signals for a device with `vintfs` VINTFs, `vcmdqs` global VCMDQs and
  /// `lvcmdqsPerVINTF` logical queues per VINTF (default `vcmdqs / vintfs`),
  /// clamped to the map's maxima, plus the SMMU queue registers when `smmu`.
  /// `cyclesPerMicrosecond` (the device's) makes the time axis read driver time.
  public init(
    vintfs: Int, vcmdqs: Int, lvcmdqsPerVINTF: Int? = nil, smmu: Bool = true, cyclesPerMicrosecond: UInt64 = 100
  ) {
    self.cyclesPerMicrosecond = cyclesPerMicrosecond
    let cmdqv = Tegra241CMDQVMap.layout
    let global = cmdqv.block("CMDQV")
    let vintfBlock = cmdqv.block("VINTF")
    let page0 = cmdqv.block("VCMDQ_PAGE0"), page1 = cmdqv.block("VCMDQ_PAGE1")
    self.vintfs = min(max(vintfs, 0), vintfBlock.dimensions[0].count)
    self.vcmdqs = min(max(vcmdqs, 0), page0.dimensions[0].count)
    let perVINTF = lvcmdqsPerVINTF ?? (self.vintfs > 0 ? max(1, self.vcmdqs / self.vintfs) : 0)
    self.lvcmdqsPerVINTF = min(max(perVINTF, 0), 128)

    for info in [CMDQVConfig.info, CMDQVStatus.info, VINTFErrMap.info, VINTFIntMask.info] {
      add(block: global, info: info, indices: [], scope: [], entity: "CMDQV")
    }
    for m in 0..<((self.vcmdqs + 31) / 32) {
      add(block: global, info: CMDQErrMap.info, indices: [], index: m, scope: [], entity: "CMDQV")
    }
    for v in 0..<self.vintfs {
      let scope = ["vintf\(v)"]
      add(block: vintfBlock, info: VINTFConfig.info, indices: [v], scope: scope, entity: "VINTF\(v)")
      add(block: vintfBlock, info: VINTFStatus.info, indices: [v], scope: scope, entity: "VINTF\(v)")
      for m in 0..<((self.lvcmdqsPerVINTF + 63) / 64) {
        add(block: vintfBlock, info: VINTFLVCMDQErrMap.info, indices: [v], index: m, scope: scope, entity: "VINTF\(v)")
      }
      for l in 0..<self.lvcmdqsPerVINTF {
        aliasBase.append(signals.count)
        for info in Self.aliasRegisters {
          append(VCDSignal(scope: scope + ["lvcmdq\(l)"], name: info.name.lowercased(), width: info.width, initial: nil, id: ""))
        }
        append(VCDSignal(scope: scope + ["lvcmdq\(l)"], name: "vcmdq", width: 8, initial: nil, id: ""))
      }
    }
    for q in 0..<self.vcmdqs {
      let scope = ["vcmdq\(q)"]
      var mine: [Int] = []
      for info in Self.aliasRegisters {
        let block = info.name == "BASE" ? page1 : page0
        mine.append(signals.count)
        add(block: block, info: info, indices: [q], scope: scope, entity: "VCMDQ\(q)")
        vcmdqOfSignal[signals.count - 1] = q
        aliasPositionOfSignal[signals.count - 1] = mine.count - 1
      }
      vcmdqSignals.append(mine)
      allocSignal.append(signals.count)
      add(block: global, info: CMDQAlloc.info, indices: [], index: q, scope: scope, entity: "VCMDQ\(q)", name: "alloc")
    }
    if smmu {
      let block = SMMUv3Map.layout.block("SMMU")
      for info in [
        SMMUCR0.info, SMMUCR0Ack.info, SMMUGError.info, SMMUGErrorN.info, SMMUCMDQBase.info, SMMUCMDQProd.info,
        SMMUCMDQCons.info,
      ] {
        add(block: block, info: info, indices: [], scope: ["smmu"], entity: "SMMU", map: SMMUv3Map.layout.name)
      }
    }
    for e in VCDEventSignal.allCases {
      eventSignals.append(signals.count)
      append(VCDSignal(scope: ["events"], name: e.rawValue, width: 32, initial: 0, id: ""))
    }
  }

  /// Signals for the configuration a `CMDQV_PARAM` value advertises
  /// (2^NUM_VINTF_LOG2 VINTFs, 2^NUM_VCMDQ_LOG2 VCMDQs).
  public init(param: CMDQVParam, smmu: Bool = true) {
    self.init(vintfs: 1 << Int(param.numVINTFLog2), vcmdqs: 1 << Int(param.numVCMDQLog2), smmu: smmu)
  }

  private mutating func append(_ signal: VCDSignal) {
    var s = signal
    s.id = Self.identifier(signals.count)
    signals.append(s)
    vcmdqOfSignal.append(-1)
    aliasPositionOfSignal.append(-1)
  }

  private mutating func add(
    block: BlockLayout, info: RegisterInfo, indices: [Int], index: Int = 0, scope: [String], entity: String,
    map: String = Tegra241CMDQVMap.layout.name, name: String? = nil
  ) {
    let instance = block.instanceName(of: info, indices: indices, index: index)
    var leaf = name ?? info.name.lowercased()
    if name == nil && info.count > 1 { leaf += "\(index)" }
    byInstance["\(map)|\(instance)"] = signals.count
    byOffset[map, default: [:]][block.offset(of: info, indices: indices, index: index)] = signals.count
    append(
      VCDSignal(
        scope: scope, name: leaf, width: info.width,
        initial: info.valueFromConfiguration ? 0 : info.reset & info.widthMask, id: "", instance: instance,
        map: map, offset: block.offset(of: info, indices: indices, index: index), entity: entity, info: info))
  }

  /// The index of the signal of register instance `instance` of `map`
  /// (`tegra241_cmdqv`, `VCMDQ2_CONS`).
  public func index(map: String, instance: String) -> Int? { byInstance["\(map)|\(instance)"] }

  /// The index of the signal of the register at absolute `offset` of `map`.
  public func index(map: String, offset: Int) -> Int? { byOffset[map]?[offset] }

  /// The signal of VCMDQ `q`'s register `name` (`CONS`, …, `BASE`), if declared.
  func vcmdqSignal(_ q: Int, register name: String) -> Int? {
    guard q >= 0, q < vcmdqSignals.count,
      let position = Self.aliasRegisters.firstIndex(where: { $0.name == name })
    else { return nil }
    return vcmdqSignals[q][position]
  }

  /// The index of the signal named by its full path (`cmdqv.vcmdq2.cons`).
  public func index(path: String) -> Int? { signals.firstIndex { $0.path == path } }

  /// The index of event signal `e`.
  public func index(of e: VCDEventSignal) -> Int { eventSignals[VCDEventSignal.allCases.firstIndex(of: e)!] }

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
