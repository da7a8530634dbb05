import Testing

import CMDQVRegisters

@Suite struct RegisterMetadataTests {
  @Test func accessMasksFollowTheFieldTable() {
    let cons = VCMDQCons.info
    #expect(cons.writableMask == 0xF_FFFF)
    #expect(cons.readOnlyMask == 0xFFF0_0000)
    // A write keeps ERR (read-only) and takes RD.
    #expect(cons.applyWrite(0xFFFF_FFFF, to: 0x0100_0000) == 0x010F_FFFF)
    let status = VCMDQStatus.info
    #expect(status.applyWrite(0xFFFF_FFFF, to: 0) == 0)
    #expect(VCMDQBase.info.writableMask == 0xFFFF_FFFF_FFFF)
  }

  @Test func w1cAndReservedFieldsBehave() {
    let info = RegisterInfo(
      name: "T", block: "X", offset: 0, width: 32, reset: 0,
      fields: [
        FieldInfo(name: "A", lsb: 0, msb: 0, access: .writeOneToClear),
        FieldInfo(name: "R", lsb: 1, msb: 1, access: .reserved),
        FieldInfo(name: "W", lsb: 2, msb: 3, access: .writeOnly),
      ])
    #expect(info.applyWrite(0b0001, to: 0b0011) == 0b0010)  // A cleared, R preserved
    #expect(info.applyWrite(0b1100, to: 0b0001) == 0b1101)  // W written, A kept
    #expect(info.applyRead(0b1101) == 0b0001)  // write-only bits read 0
  }

  @Test(arguments: [
    (0x0, "CMDQV_CONFIG"), (0x214, "CMDQV_CMDQ_ALLOC5"), (0x18, "CMDQV_VI_ERR_MAP"), (0x1100, "VINTF1_CONFIG"),
    (0x11CC, "VINTF1_LVCMDQ_ERR_MAP1"), (0x10094, "VCMDQ1_GERRORN"), (0x20184, "VCMDQ3_BASE"),
    (0x50080, "VINTF1_LVCMDQ1_CONS"), (0x60088, "VINTF1_LVCMDQ1_CONS_INDX_BASE"), (0x30000, "VINTF0_LVCMDQ0_CONS"),
  ])
  func decoderNamesInstances(_ offset: Int, _ name: String) throws {
    let instance = try #require(Tegra241CMDQVMap.layout.decode(offset: offset))
    #expect(instance.name == name)
  }

  @Test func decoderReportsHalvesAndIndices() throws {
    let high = try #require(Tegra241CMDQVMap.layout.decode(offset: 0x18))
    #expect(high.offset == 0x14)
    #expect(high.halfOffset == 4)
    #expect(high.accessName == "CMDQV_VI_ERR_MAP[63:32]")
    let logical = try #require(Tegra241CMDQVMap.layout.decode(offset: 0x70094))
    #expect(logical.indices == [2, 1])
    #expect(logical.aperture == "vintf_page0")
    #expect(logical.info == VCMDQGErrorN.info)
  }

  @Test(arguments: [0xC, 0x10, 0x400, 0x1008, 0x1100 + 0xD0, 0x10018, 0x30018, 0x3_0000 + 0x4000, 0x83_0000, -4])
  func unmappedOffsetsDecodeToNil(_ offset: Int) {
    #expect(Tegra241CMDQVMap.layout.decode(offset: offset) == nil)
  }

  @Test func changedFieldsNameOnlyWhatChanged() {
    let changes = VINTFConfig.info.changedFields(from: 0, to: 0x3)
    #expect(changes.map(\.field.name) == ["ENABLE", "VMID"])
  }
}
