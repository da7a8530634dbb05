/// A response the IOMMU driver received for a page request group
/// (`iopf_group_response`, drivers/iommu/io-pgfault.c, v6.17), from the
/// user (`struct iommu_hwpt_page_response` written to the fault fd) or
/// automatically (`iommufd_auto_response_faults`, always INVALID).
public struct PageResponse: Hashable, Sendable {
  /// `IOMMUFD_PAGE_RESP_SUCCESS`.
  public static let success: UInt32 = 0
  /// `IOMMUFD_PAGE_RESP_INVALID`.
  public static let invalid: UInt32 = 1

  /// The device's object ID.
  public var devID: UInt32
  /// The group's `grpid`.
  public var grpid: UInt32
  /// `code`: ``success`` or ``invalid``.
  public var code: UInt32
  /// Whether the core answered on its own (detach, replace, destroy).
  public var automatic: Bool

  public init(devID: UInt32, grpid: UInt32, code: UInt32, automatic: Bool) {
    self.devID = devID
    self.grpid = grpid
    self.code = code
    self.automatic = automatic
  }
}
