import CMDQVModel
import CMDQVRegisters

/// What one scenario step does. Errnos are expected names (`EBUSY`), `nil`
/// meaning success.
public enum ScenarioAction: Sendable {
  case boot(expect: String?)
  case note(String)
  case ioas(name: String, expect: String?)
  case map(ioas: String, iova: UInt64, length: UInt64, pa: UInt64, expect: String?)
  case unmap(ioas: String, iova: UInt64, length: UInt64, expect: String?)
  case bind(name: String, sids: [UInt32], expect: String?)
  /// `ioas` names an IOAS, HWPT or vIOMMU; `ste` (two words) is the guest
  /// STE of a nested HWPT on a vIOMMU (`IOMMU_HWPT_DATA_ARM_SMMUV3`).
  case hwpt(name: String, device: String, ioas: String, nestParent: Bool, ste: [UInt64]?, expect: String?)
  /// `VFIO_DEVICE_ATTACH_IOMMUFD_PT`: attach, or replace when attached.
  case attach(device: String, pt: String, expect: String?)
  case viommu(name: String, device: String, hwpt: String, expect: String?)
  case mmap(name: String, viommu: String, offset: UInt64?, length: UInt64?, expect: String?)
  case munmap(window: String)
  case vdevice(name: String, viommu: String, device: String, virtID: UInt64, expect: String?)
  case veventq(name: String, viommu: String, depth: UInt32, expect: String?)
  case hwQueue(name: String, viommu: String, index: UInt32, iova: UInt64, length: UInt64, expect: String?)
  case guestEnable(window: String, queue: Int, expect: String?)
  case guestSubmit(window: String, queue: Int, commands: [SMMUCommand], sync: Bool, expectError: UInt8?)
  case guestAck(window: String, queue: Int)
  case hostIssue(commands: [SMMUCommand], cpu: Int, sync: Bool, expect: String?)
  case invalidate(viommu: String, commands: [SMMUCommand], expect: String?, handled: Int?)
  case destroy(name: String, expect: String?)
  case write(offset: Int, value: UInt64, width: Int, initiator: Initiator)
  case step(cycles: Int)
  case expectRegister(name: String, offset: Int, width: Int, value: UInt64, mask: UInt64)
  case expectFault(kind: FaultKind, count: Int)
  /// Claims the rule violations of `rule` recorded since the last claim (at
  /// least one; exactly `count` when given).
  case expectViolation(rule: RuleID, count: Int?)
  case expectEvents(veventq: String, count: Int, lvcmdqErrMap: [UInt64]?)
  /// `nil`: accept whatever ran since the previous one and restart the count.
  case expectCommands([CommandExpectation]?)
  case inject(ScenarioInjection)
  case close(clean: Bool)

  /// `expect_fault` kinds.
  public enum FaultKind: String, Sendable { case access, violation }
}
