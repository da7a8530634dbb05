/// A physical SMMU's stage-2 VMID space (`smmu->vmid_map`):
/// `ida_alloc_range(&vmid_map, 1, (1 << vmid_bits) - 1)`, lowest free first.
/// VMID 0 is the kernel's (VINTF0 uses it).
public final class VMIDAllocator {
  /// `smmu->vmid_bits` (8 or 16).
  public let bits: Int
  /// VMIDs in use.
  public private(set) var inUse: Set<UInt16> = []

  public init(bits: Int = 16) {
    precondition((1...16).contains(bits), "vmid_bits must be 1...16, got \(bits)")
    self.bits = bits
  }

  /// Allocates the lowest free VMID ≥ 1; `ENOSPC` when none is left.
  public func allocate() throws(Errno) -> UInt16 {
    let max = (1 << bits) - 1
    var candidate = 1
    while candidate <= max {
      if !inUse.contains(UInt16(candidate)) {
        inUse.insert(UInt16(candidate))
        return UInt16(candidate)
      }
      candidate += 1
    }
    throw Errno.enospc("no free VMID (vmid_bits \(bits))")
  }

  /// `ida_free`.
  public func free(_ vmid: UInt16) {
    inUse.remove(vmid)
  }
}
