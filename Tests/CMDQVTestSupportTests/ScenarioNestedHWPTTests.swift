import CMDQVTestSupport
import Testing

/// The scenario steps `hwpt` with `ste:` (a nested HWPT on a vIOMMU) and
/// `attach` (VFIO_DEVICE_ATTACH_IOMMUFD_PT).
@Suite struct ScenarioNestedHWPTTests {
  static let prefix = """
    name: nested
    steps:
      - boot:
      - ioas:
          name: ioas0
      - bind:
          name: dev0
          sids: [0x100]
      - hwpt:
          name: s2
          device: dev0
          ioas: ioas0
          nest_parent: true
      - viommu:
          name: vi0
          device: dev0
          hwpt: s2

    """

  @Test func steNeedsTwoWords() {
    let errors = parseErrors(Self.prefix + "  - hwpt:\n      name: n\n      device: dev0\n      ioas: vi0\n      ste: [0x9]\n")
    #expect(errors.count == 1)
    #expect(errors.first?.contains("'ste' needs two words (ste[0], ste[1]), found 1") == true, "\(errors)")
    let scalars = parseErrors(
      Self.prefix + "  - hwpt:\n      name: n\n      device: dev0\n      ioas: vi0\n      ste:\n        - a: 1\n        - 2\n")
    #expect(scalars.contains { $0.contains("'ste' entries must be 64-bit words, found a mapping") }, "\(scalars)")
  }

  @Test func attachFollowsTheKernelRules() throws {
    let text = Self.prefix + """
        - hwpt:
            name: nested0
            device: dev0
            ioas: vi0
            ste: [0x8020_000B, 0]
        - hwpt:
            name: bad
            device: dev0
            ioas: vi0
            ste: [0xD, 0]
            expect: EIO
        - attach:
            device: dev0
            pt: vi0
            expect: EINVAL
        - attach:
            device: dev0
            pt: nested0
            expect: ENOENT
        - vdevice:
            name: vdev0
            viommu: vi0
            device: dev0
            virt_id: 0x10
        - attach:
            device: dev0
            pt: nested0
        - destroy:
            name: nested0
            expect: EBUSY
        - attach:
            device: dev0
            pt: ioas0
        - destroy:
            name: nested0
        - close:

      """
    let scenario = try #require(parseOK(text))
    let execution = ScenarioExecution(scenario: scenario)
    var outputs: [String] = []
    while true {
      switch execution.executeNextStep() {
      case .passed(_, _, let output): outputs.append(output)
      case .finished: break
      default:
        Issue.record("step failed: \(String(describing: execution.failure))")
      }
      if execution.isFinished { break }
    }
    #expect(execution.report.passed)
    #expect(outputs.contains { $0.contains("attached to nested0") && $0.contains("STE NESTED") }, "\(outputs)")
  }
}
