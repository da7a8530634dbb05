extension TranslatedMemory {
  /// Why an access to `[address, address+count)` fails, naming the layer at
  /// fault and the fix, or `nil` if every byte is reachable:
  /// - a page the translation (the IOAS) does not map;
  /// - a page the IOAS maps to a host-physical page that the physical memory
  ///   does not back.
  public func diagnoseAccess(at address: UInt64, count: Int) -> String? {
    var at = address
    var left = max(count, 1)
    while left > 0 {
      let inPage = Int(min(UInt64(left), Self.pageSize - at % Self.pageSize))
      guard let pa = translate(at) else {
        return "IPA 0x\(String(at, radix: 16)) is not mapped in the IOAS (map it with IOMMU_IOAS_MAP, "
          + "IOMMUFDContext.ioasMap(ioas:iova:length:physicalAddress:))"
      }
      if memory.readBytes(at: pa, count: inPage) == nil {
        return "IPA 0x\(String(at, radix: 16)) is mapped in the IOAS to PA 0x\(String(pa, radix: 16)), "
          + "but that host-physical page is not backed in the model's memory "
          + "(back it with CMDQVDevice.memory.backRange(base:length:))"
      }
      at += UInt64(inPage)
      left -= inPage
    }
    return nil
  }
}
