import CMDQVRegisters

/// What an accepted MMIO read's event is built from (see
/// `CMDQVDevice.readAccess(_:)`): plain values, cheap to keep for every
/// traced read, unlike the event with its names.
struct AcceptedRead {
  var decoded: DecodedAccess
  var offset: Int
  var width: Int
  var value: UInt64
  var initiator: Initiator
  var smmu: Bool
}
