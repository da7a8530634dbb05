import CMDQVRegisters

/// The SMMUv3 register aperture of a ``CMDQVDevice``: IDR1 (from the
/// configuration), CR0→CR0ACK, GERROR/GERRORN and the main command queue.
/// Its queue runs on the same engine as the VCMDQs.
public final class SMMUDevice: MMIOBus {
  unowned let device: CMDQVDevice

  init(device: CMDQVDevice) { self.device = device }

  public func read32(at offset: Int, from initiator: Initiator) -> UInt32 {
    UInt32(truncatingIfNeeded: device.performRead(offset, width: 32, initiator: initiator, smmuAperture: true))
  }

  public func write32(_ value: UInt32, at offset: Int, from initiator: Initiator) {
    device.performWrite(UInt64(value), offset, width: 32, initiator: initiator, smmuAperture: true)
  }

  public func read64(at offset: Int, from initiator: Initiator) -> UInt64 {
    device.performRead(offset, width: 64, initiator: initiator, smmuAperture: true)
  }

  public func write64(_ value: UInt64, at offset: Int, from initiator: Initiator) {
    device.performWrite(value, offset, width: 64, initiator: initiator, smmuAperture: true)
  }

  /// A read of any width in bits; only 32 and 64 are accepted.
  public func read(at offset: Int, width: Int, from initiator: Initiator = .host) -> UInt64 {
    CMDQVDevice.requireBusWidth(width, "SMMUDevice.read")
    return device.performRead(offset, width: width, initiator: initiator, smmuAperture: true)
  }

  /// A write of any width in bits; only 32 and 64 are accepted.
  public func write(_ value: UInt64, at offset: Int, width: Int, from initiator: Initiator = .host) {
    CMDQVDevice.requireBusWidth(width, "SMMUDevice.write")
    device.performWrite(CMDQVDevice.busValue(value, width: width), offset, width: width, initiator: initiator, smmuAperture: true)
  }
}

extension SMMUDevice: CustomStringConvertible {
  public var description: String { device.smmuDescription }
}
