/// What `IOMMU_TEST_OP_MOCK_DOMAIN` writes back (`cmd->mock_domain`).
public struct SelftestMockDomain: Hashable, Sendable {
  /// `out_stdev_id`: the ``SelftestObject``; destroy it to remove the device.
  public var stdevID: UInt32
  /// `out_hwpt_id`: the HWPT the device was attached to (the auto-domain
  /// HWPT when `pt` was an IOAS).
  public var hwptID: UInt32
  /// `out_idev_id`: the bound device (IOMMUFD_OBJ_DEVICE).
  public var idevID: UInt32

  public init(stdevID: UInt32, hwptID: UInt32, idevID: UInt32) {
    self.stdevID = stdevID
    self.hwptID = hwptID
    self.idevID = idevID
  }
}
