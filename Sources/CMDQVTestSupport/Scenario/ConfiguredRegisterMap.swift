import CMDQVModel
import CMDQVRegisters

/// The CMDQV register map cut down to one configuration's instance counts
/// (the generated layout spans the architectural maximum: 64 VINTFs × 128
/// LVCMDQs), with lookup by instance name.
public struct ConfiguredRegisterMap: Sendable {
  public let layout: RegisterMapLayout
  public let instances: [RegisterInstance]
  private let byName: [String: RegisterInstance]

  public init(configuration: CMDQVConfiguration) {
    let counts = [
      "num_vintfs": configuration.numVINTFs, "num_vcmdqs": configuration.numVCMDQs,
      "num_lvcmdqs_per_vintf": configuration.numLVCMDQsPerVINTF,
      "num_sids_per_vintf": configuration.numSIDsPerVINTF,
    ]
    // Register arrays carry no parameter in the map, so their counts are cut here.
    let arrays = [
      "CMDQ_ALLOC": configuration.numVCMDQs, "CMDQ_ERR_MAP": (configuration.numVCMDQs + 31) / 32,
      "SID_MATCH": configuration.numSIDsPerVINTF, "SID_REPLACE": configuration.numSIDsPerVINTF,
    ]
    self.init(layout: Self.restrict(Tegra241CMDQVMap.layout, counts: counts, arrays: arrays))
  }

  public init(layout: RegisterMapLayout) {
    self.layout = layout
    instances = layout.allInstances()
    var table: [String: RegisterInstance] = [:]
    for i in instances { table[i.name.uppercased()] = i }
    byName = table
  }

  /// The instance called `name` (case-insensitive).
  public func instance(named name: String) -> RegisterInstance? { byName[name.uppercased()] }

  static func restrict(_ layout: RegisterMapLayout, counts: [String: Int], arrays: [String: Int]) -> RegisterMapLayout {
    RegisterMapLayout(
      name: layout.name,
      blocks: layout.blocks.map { b in
        BlockLayout(
          name: b.name, prefix: b.prefix, base: b.base,
          dimensions: b.dimensions.map { d in
            BlockDimension(
              label: d.label, count: d.parameter.flatMap { counts[$0] }.map { min($0, d.count) } ?? d.count,
              stride: d.stride, parameter: d.parameter)
          }, registers: b.registers.map { r in restrict(r, to: arrays[r.name]) }, aliasOf: b.aliasOf, aperture: b.aperture, description: b.description)
      })
  }

  static func restrict(_ r: RegisterInfo, to count: Int?) -> RegisterInfo {
    guard let count, count < r.count else { return r }
    return RegisterInfo(
      name: r.name, block: r.block, offset: r.offset, width: r.width, count: count, stride: r.stride,
      accessWidths: r.accessWidths, reset: r.reset, valueFromConfiguration: r.valueFromConfiguration, fields: r.fields,
      description: r.description, source: r.source)
  }
}
