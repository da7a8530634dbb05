import CMDQVRegisters

extension Tegra241CMDQV {
  /// `tegra241_cmdqv_init_vintf_user` (hardware part): take the lowest free
  /// VINTF from index 1 (ENOSPC when none), program it guest-owned with the
  /// nesting parent's VMID and no LVCMDQs ("cannot pre-allocate a LVCMDQ until
  /// user space wants one"). If `tegra241_vintf_hw_init` fails the kernel
  /// jumps to `deinit_vintf`: the index is freed but the hardware is not
  /// touched again (CONFIG keeps the EN it was given; the next user of the
  /// index resets the VINTF first).
  public func allocUserVINTF(vmid: UInt16) throws(Errno) -> Tegra241VINTF {
    let vintf = try initVINTF(maxIndex: numVINTFs - 1)
    vintf.vmid = vmid
    do {
      try vintfHWInit(vintf, hypervisorOwned: false)
    } catch {
      deinitVINTF(vintf)
      throw error
    }
    return vintf
  }

  /// `tegra241_cmdqv_deinit_vintf`: forget the VINTF and free its index (no
  /// register access).
  func deinitVINTF(_ vintf: Tegra241VINTF) {
    vintfs[vintf.index] = nil
    vintfIDs.free(vintf.index)
  }

  /// The page0 a user VINTF exports through mmap: its physical offset from
  /// the CMDQV base and length (`TEGRA241_VINTFi_PAGE0(idx)`, 64 KiB).
  public func page0Region(of vintf: Tegra241VINTF) -> (offset: UInt64, length: UInt64) {
    (UInt64(0x30000 + 0x20000 * vintf.index), 0x10000)
  }

  /// Records the mmap offset iommufd gave page0.
  public func setMMapOffset(_ offset: UInt64, of vintf: Tegra241VINTF) { vintf.mmapOffset = offset }

  /// `tegra241_cmdqv_remove_vintf`: deinit the hardware and free the index
  /// (also the `hw_deinit_vintf` + `deinit_vintf` unwind of a failed user
  /// VINTF creation).
  public func removeVINTF(_ vintf: Tegra241VINTF) {
    vintfHWDeinit(vintf)
    deinitVINTF(vintf)
  }

  // MARK: vDEVICE: SID_MATCH / SID_REPLACE

  /// `tegra241_vintf_init_vsid`: checks the vSID range and the device's
  /// StreamIDs, takes the lowest free slot, writes SID_REPLACE first, then
  /// SID_MATCH with the enable bit. Returns the slot index.
  public func initVSID(_ vintf: Tegra241VINTF, virtualSID: UInt64, streamIDs: [UInt32]) throws(Errno) -> Int {
    guard virtualSID <= 0xF_FFFF else {
      throw Errno.einval("tegra241_vintf_init_vsid: vSID 0x\(String(virtualSID, radix: 16)) exceeds VIRT_SID [20:1] (max 0xFFFFF)")
    }
    guard streamIDs.count == 1, let physicalSID = streamIDs.first else {
      throw Errno.eopnotsupp("tegra241_vintf_init_vsid: the device has \(streamIDs.count) StreamIDs; exactly one is supported")
    }
    guard let sidx = vintf.sids.allocate(max: numSIDsPerVINTF - 1) else {
      throw Errno.enospc("tegra241_vintf_init_vsid: all \(numSIDsPerVINTF) SID slots of VINTF\(vintf.index) are in use")
    }
    // writel(stream->id, SID_REPLACE): the StreamID as is, no field masking.
    vintf.registers.sidReplace(sidx).write(VINTFSIDReplace(rawValue: physicalSID))
    vintf.registers.sidMatch(sidx).write {
      $0.virtualSID = UInt32(virtualSID)
      $0.enable = true
    }
    vintf.slotVirtualSIDs[sidx] = UInt32(virtualSID)
    return sidx
  }

  /// `tegra241_vintf_destroy_vsid`: clear SID_MATCH first, then SID_REPLACE,
  /// then free the slot.
  public func destroyVSID(_ vintf: Tegra241VINTF, slot sidx: Int) {
    vintf.registers.sidMatch(sidx).write(VINTFSIDMatch(rawValue: 0))
    vintf.registers.sidReplace(sidx).write(VINTFSIDReplace(rawValue: 0))
    vintf.sids.free(sidx)
    vintf.slotVirtualSIDs[sidx] = nil
  }

  // MARK: HW queues: user LVCMDQs

  /// `tegra241_vintf_alloc_lvcmdq_user` for `IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV`,
  /// checks in the kernel's order: lidx range (EINVAL), slot taken (EEXIST),
  /// predecessor missing (EIO), length a power of two in
  /// [32, 2^(IDR1.CMDQS+4)] (EINVAL), base aligned to the length and within
  /// [47:5] (EINVAL), then `depend` on the predecessor; then map the LVCMDQ,
  /// reset it and write BASE. The guest enables it through its page0.
  /// On failure nothing stays mapped or published.
  public func allocUserLVCMDQ(
    _ vintf: Tegra241VINTF, lidx: Int, basePA: UInt64, length: UInt64,
    depend: (Tegra241VCMDQ) throws(Errno) -> Void, undepend: (Tegra241VCMDQ) -> Void
  ) throws(Errno) -> Tegra241VCMDQ {
    guard lidx >= 0 && lidx < numLVCMDQsPerVINTF else {
      throw Errno.einval("tegra241_vintf_alloc_lvcmdq_user: index \(lidx) >= num_lvcmdqs_per_vintf \(numLVCMDQsPerVINTF)")
    }
    if vintf.lvcmdqs[lidx] != nil {
      throw Errno.eexist("tegra241_vintf_alloc_lvcmdq_user: LVCMDQ\(lidx) of VINTF\(vintf.index) already exists")
    }
    var previous: Tegra241VCMDQ?
    if lidx > 0 {
      guard let prev = vintf.lvcmdqs[lidx - 1] else {
        throw Errno.eio("tegra241_vintf_alloc_lvcmdq_user: LVCMDQ\(lidx - 1) must be allocated first (HW requires ascending map order)")
      }
      previous = prev
    }
    let cmdqs = Int(SMMUv3Registers(bus: smmu.bus).idr1.read().cmdqs)
    let maxLength = UInt64(1) << UInt64(cmdqs + 4)
    guard length.nonzeroBitCount == 1, length >= 32, length <= maxLength else {
      throw Errno.einval("tegra241_vintf_alloc_lvcmdq_user: length 0x\(String(length, radix: 16)) must be a power of 2 in [32, 0x\(String(maxLength, radix: 16))]")
    }
    let log2Size = UInt64(length.trailingZeroBitCount - 4)
    guard basePA & ~0xFFFF_FFFF_FFE0 == 0, basePA & (length - 1) == 0 else {
      throw Errno.einval("tegra241_vintf_alloc_lvcmdq_user: base 0x\(String(basePA, radix: 16)) must be aligned to the length 0x\(String(length, radix: 16)) and fit VCMDQ_ADDR [47:5]")
    }
    let vcmdq = initLVCMDQ(vintf, lidx: lidx)
    if let previous { try depend(previous) }
    vcmdq.previous = previous
    mapLVCMDQ(vcmdq)
    vcmdq.queueBase = (basePA & 0xFFFF_FFFF_FFE0) | log2Size
    // tegra241_vcmdq_hw_init_user (v7.x): reset the VCMDQ, then configure
    // BASE only; user space does the enabling.
    vcmdqHWDeinit(vcmdq)
    vcmdq.page1.base.write(VCMDQBase(rawValue: vcmdq.queueBase))
    vintf.lvcmdqs[lidx] = vcmdq
    return vcmdq
  }

  /// `tegra241_vintf_destroy_lvcmdq_user`: deinit (disable, flush CMD_SYNC,
  /// zero pointers and bases, acknowledge GERROR), unmap, unpublish, then
  /// undepend the predecessor.
  public func destroyUserLVCMDQ(_ vcmdq: Tegra241VCMDQ, undepend: (Tegra241VCMDQ) -> Void) {
    vcmdqHWDeinit(vcmdq)
    unmapLVCMDQ(vcmdq)
    if let vintf = vintfs[vcmdq.vintfIndex], vintf.lvcmdqs[vcmdq.lidx] === vcmdq {
      vintf.lvcmdqs[vcmdq.lidx] = nil
    }
    if let prev = vcmdq.previous { undepend(prev) }
    vcmdq.previous = nil
  }
}
