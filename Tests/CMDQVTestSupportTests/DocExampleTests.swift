import CMDQVModel
import CMDQVTestSupport
import CMDQVTrace
import IOMMUFD
import Testing

/// Swift examples in the docs that are not whole files (Docs/Rules.md).
@Suite struct DocExampleTests {
  /// The policy example in Docs/Rules.md.
  @Test func rulePolicies() {
    var configuration = CMDQVConfiguration.default
    configuration.rulePolicies = RulePolicies(.record)
    configuration.rulePolicies[.lvcmdqMapAscending] = .trap
    let device = CMDQVDevice(configuration: configuration)
    device.rulePolicies[.queueProdRetreat] = .ignore
    #expect(device.rulePolicies[.lvcmdqMapAscending] == .trap)
    #expect(device.rulePolicies[.queueProdRetreat] == .ignore)
    #expect(device.rulePolicies[.flushBeforeUnmap] == .record)
  }
}
