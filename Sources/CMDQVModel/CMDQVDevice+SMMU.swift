extension CMDQVDevice {
  /// Decodes an SMMU aperture offset.
  func decodeSMMU(_ offset: Int) -> DecodedAccess {
    switch offset {
    case 0x04...0x07: DecodedAccess(.smmuIDR1)
    case 0x20...0x23: DecodedAccess(.smmuCR0)
    case 0x24...0x27: DecodedAccess(.smmuCR0Ack)
    case 0x60...0x63: DecodedAccess(.smmuGError)
    case 0x64...0x67: DecodedAccess(.smmuGErrorN)
    case 0x90...0x97: DecodedAccess(.smmuCMDQBase, half: offset & 4)
    case 0x98...0x9B: DecodedAccess(.smmuCMDQProd)
    case 0x9C...0x9F: DecodedAccess(.smmuCMDQCons)
    default: .fault(.unmapped)
    }
  }
}
