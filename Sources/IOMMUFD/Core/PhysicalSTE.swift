/// What the arm-smmu-v3 driver would install in the physical Stream Table
/// Entry of a device when iommufd attaches it to a domain. The stream table
/// is outside this model (nothing is written to the SMMU); the attach records
/// the STE here so a test can assert it (``IOMMUFDDevice/installedSTE``).
public enum PhysicalSTE: Hashable, Sendable, CustomStringConvertible {
  /// `arm_smmu_make_abort_ste`: STE.Config ABORT, DMA is blocked.
  case abort
  /// A stage-1 paging domain (`arm_smmu_make_cdtable_ste`, S1 translation
  /// through the CD table; the ASID is not modelled).
  case stage1
  /// `arm_smmu_make_s2_domain_ste`: stage-2 translation with the parent's
  /// VMID (a nest-parent paging domain, or a nested domain whose vSTE is
  /// BYPASS).
  case stage2(vmid: UInt16)
  /// `arm_smmu_make_nested_cd_table_ste`: STE.Config NESTED (S1 from the
  /// guest's CD table, S2 of the parent with `vmid`). `word0` is
  /// `V | CONFIG=NESTED` plus the guest's word-0 bits other than CONFIG;
  /// `word1` is the guest's word-1 bits (EATS cleared) with MEV forced on;
  /// the S2 fields the driver adds from the parent are represented by `vmid`.
  /// `ats` is the domain's `enable_ats`.
  case nested(vmid: UInt16, word0: UInt64, word1: UInt64, ats: Bool)

  public var description: String {
    switch self {
    case .abort: "ABORT"
    case .stage1: "S1_TRANS"
    case .stage2(let vmid): "S2_TRANS vmid \(vmid)"
    case .nested(let vmid, let w0, let w1, let ats):
      "NESTED vmid \(vmid) ste[0] 0x\(hex(w0)) ste[1] 0x\(hex(w1))\(ats ? " ATS" : "")"
    }
  }
}
