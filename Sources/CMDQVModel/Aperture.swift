/// Which MMIO aperture of the device.
public enum Aperture: Hashable, Sendable {
  case cmdqv
  case smmu
}
