import CMDQVRegisters

extension CMDQVDevice {
  /// Checks a CMDQ_ALLOC write against "map LVCMDQs in ascending order, unmap
  /// in descending order" (kernel-facts §B.1). Neighbours are found by
  /// assignment (VIRT_INTF_INDX, LVCMDQ); the write takes effect whatever
  /// the policy.
  func checkOrdering(vcmdq q: Int, old: UInt32, new: UInt32, offset: Int, value: UInt64, initiator: Initiator) {
    let policy = configuration.orderingPolicy
    guard policy != .ignore else { return }
    let wasMapped = old & AllocBits.alloc != 0
    let isMapped = new & AllocBits.alloc != 0
    var fault: OrderingFault?
    if !wasMapped && isMapped {
      let v = Int(new >> AllocBits.vintfShift & AllocBits.vintfMask)
      let l = Int(new >> AllocBits.lvcmdqShift & AllocBits.lvcmdqMask)
      if l > 0 && !slotMapped(vintf: v, lvcmdq: l - 1, excluding: q) {
        fault = OrderingFault(
          kind: .mapAboveUnmapped, vintf: v, lvcmdq: l, neighbour: l - 1, vcmdq: q, offset: offset, value: value,
          initiator: initiator)
      }
    } else if wasMapped && !isMapped {
      let v = Int(old >> AllocBits.vintfShift & AllocBits.vintfMask)
      let l = Int(old >> AllocBits.lvcmdqShift & AllocBits.lvcmdqMask)
      if slotMapped(vintf: v, lvcmdq: l + 1, excluding: q) {
        fault = OrderingFault(
          kind: .unmapBelowMapped, vintf: v, lvcmdq: l, neighbour: l + 1, vcmdq: q, offset: offset, value: value,
          initiator: initiator)
      }
    }
    guard let fault else { return }
    if policy == .trap { preconditionFailure(fault.description) }
    orderingFaults.append(fault)
    logFault(.ordering(fault))
    if observed { emit(.orderingFault(fault)) }
  }

  private func slotMapped(vintf v: Int, lvcmdq l: Int, excluding: Int) -> Bool {
    for q in 0..<numVCMDQs where q != excluding {
      let s = queues[q]
      if s.allocated && s.allocVINTF == v && s.allocLVCMDQ == l { return true }
    }
    return false
  }
}
