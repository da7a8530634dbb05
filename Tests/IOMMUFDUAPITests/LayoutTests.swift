import Foundation
import CCMDQV
import Testing

/// Every struct of cmdqv.h against the kernel's layout
/// (include/uapi/linux/iommufd.h and drivers/iommu/iommufd/iommufd_test.h,
/// v6.17; LP64): a drift in the header fails here, and the byte layer reads
/// the same structs.
struct LayoutTests {
  struct Row: CustomTestStringConvertible, Sendable {
    var name: String
    var size: Int
    var expectedSize: Int
    /// (field, actual offset, kernel offset)
    var fields: [(String, Int?, Int)]
    var testDescription: String { name }
  }

  static func row<T>(_ type: T.Type, _ name: String, _ size: Int, _ fields: [(String, PartialKeyPath<T>, Int)]) -> Row {
    Row(
      name: name, size: MemoryLayout<T>.size, expectedSize: size,
      fields: fields.map { ($0.0, MemoryLayout<T>.offset(of: $0.1), $0.2) })
  }

  static let rows: [Row] = [
    row(iommu_destroy.self, "iommu_destroy", 8, [("size", \.size, 0), ("id", \.id, 4)]),
    row(iommu_ioas_alloc.self, "iommu_ioas_alloc", 12, [("flags", \.flags, 4), ("out_ioas_id", \.out_ioas_id, 8)]),
    row(
      iommu_ioas_map.self, "iommu_ioas_map", 40,
      [
        ("flags", \.flags, 4), ("ioas_id", \.ioas_id, 8), ("__reserved", \.__reserved, 12), ("user_va", \.user_va, 16),
        ("length", \.length, 24), ("iova", \.iova, 32),
      ]),
    row(
      iommu_ioas_unmap.self, "iommu_ioas_unmap", 24,
      [("ioas_id", \.ioas_id, 4), ("iova", \.iova, 8), ("length", \.length, 16)]),
    row(
      iommu_hwpt_alloc.self, "iommu_hwpt_alloc", 48,
      [
        ("flags", \.flags, 4), ("dev_id", \.dev_id, 8), ("pt_id", \.pt_id, 12), ("out_hwpt_id", \.out_hwpt_id, 16),
        ("__reserved", \.__reserved, 20), ("data_type", \.data_type, 24), ("data_len", \.data_len, 28),
        ("data_uptr", \.data_uptr, 32), ("fault_id", \.fault_id, 40), ("__reserved2", \.__reserved2, 44),
      ]),
    row(
      iommu_viommu_alloc.self, "iommu_viommu_alloc", 40,
      [
        ("flags", \.flags, 4), ("type", \.type, 8), ("dev_id", \.dev_id, 12), ("hwpt_id", \.hwpt_id, 16),
        ("out_viommu_id", \.out_viommu_id, 20), ("data_len", \.data_len, 24), ("__reserved", \.__reserved, 28),
        ("data_uptr", \.data_uptr, 32),
      ]),
    row(
      iommu_vdevice_alloc.self, "iommu_vdevice_alloc", 24,
      [("viommu_id", \.viommu_id, 4), ("dev_id", \.dev_id, 8), ("out_vdevice_id", \.out_vdevice_id, 12), ("virt_id", \.virt_id, 16)]),
    row(
      iommu_hw_queue_alloc.self, "iommu_hw_queue_alloc", 40,
      [
        ("flags", \.flags, 4), ("viommu_id", \.viommu_id, 8), ("type", \.type, 12), ("index", \.index, 16),
        ("out_hw_queue_id", \.out_hw_queue_id, 20), ("nesting_parent_iova", \.nesting_parent_iova, 24),
        ("length", \.length, 32),
      ]),
    row(
      iommu_veventq_alloc.self, "iommu_veventq_alloc", 32,
      [
        ("flags", \.flags, 4), ("viommu_id", \.viommu_id, 8), ("type", \.type, 12), ("veventq_depth", \.veventq_depth, 16),
        ("out_veventq_id", \.out_veventq_id, 20), ("out_veventq_fd", \.out_veventq_fd, 24), ("__reserved", \.__reserved, 28),
      ]),
    row(
      iommu_hw_info.self, "iommu_hw_info", 40,
      [
        ("flags", \.flags, 4), ("dev_id", \.dev_id, 8), ("data_len", \.data_len, 12), ("data_uptr", \.data_uptr, 16),
        ("out_max_pasid_log2", \.out_max_pasid_log2, 28), ("__reserved", \.__reserved, 29),
        ("out_capabilities", \.out_capabilities, 32),
      ]),
    row(
      iommu_hwpt_invalidate.self, "iommu_hwpt_invalidate", 32,
      [
        ("hwpt_id", \.hwpt_id, 4), ("data_uptr", \.data_uptr, 8), ("data_type", \.data_type, 16),
        ("entry_len", \.entry_len, 20), ("entry_num", \.entry_num, 24), ("__reserved", \.__reserved, 28),
      ]),
    row(
      iommu_fault_alloc.self, "iommu_fault_alloc", 16,
      [("flags", \.flags, 4), ("out_fault_id", \.out_fault_id, 8), ("out_fault_fd", \.out_fault_fd, 12)]),
    row(iommu_hwpt_arm_smmuv3.self, "iommu_hwpt_arm_smmuv3", 16, [("ste", \.ste, 0)]),
    row(iommu_viommu_arm_smmuv3_invalidate.self, "iommu_viommu_arm_smmuv3_invalidate", 16, [("cmd", \.cmd, 0)]),
    row(
      iommu_viommu_tegra241_cmdqv.self, "iommu_viommu_tegra241_cmdqv", 16,
      [("out_vintf_mmap_offset", \.out_vintf_mmap_offset, 0), ("out_vintf_mmap_length", \.out_vintf_mmap_length, 8)]),
    row(
      iommu_hw_info_tegra241_cmdqv.self, "iommu_hw_info_tegra241_cmdqv", 8,
      [
        ("flags", \.flags, 0), ("version", \.version, 4), ("log2vcmdqs", \.log2vcmdqs, 5), ("log2vsids", \.log2vsids, 6),
        ("__reserved", \.__reserved, 7),
      ]),
    row(
      iommu_hw_info_arm_smmuv3.self, "iommu_hw_info_arm_smmuv3", 40,
      [("flags", \.flags, 0), ("idr", \.idr, 8), ("iidr", \.iidr, 32), ("aidr", \.aidr, 36)]),
    row(
      iommufd_vevent_header.self, "iommufd_vevent_header", 8, [("flags", \.flags, 0), ("sequence", \.sequence, 4)]),
    row(iommu_vevent_arm_smmuv3.self, "iommu_vevent_arm_smmuv3", 32, [("evt", \.evt, 0)]),
    row(iommu_vevent_tegra241_cmdqv.self, "iommu_vevent_tegra241_cmdqv", 16, [("lvcmdq_err_map", \.lvcmdq_err_map, 0)]),
    row(
      iommu_hwpt_pgfault.self, "iommu_hwpt_pgfault", 40,
      [
        ("flags", \.flags, 0), ("dev_id", \.dev_id, 4), ("pasid", \.pasid, 8), ("grpid", \.grpid, 12), ("perm", \.perm, 16),
        ("__reserved", \.__reserved, 20), ("addr", \.addr, 24), ("length", \.length, 32), ("cookie", \.cookie, 36),
      ]),
    row(iommu_hwpt_page_response.self, "iommu_hwpt_page_response", 8, [("cookie", \.cookie, 0), ("code", \.code, 4)]),
    row(
      iommu_viommu_selftest.self, "iommu_viommu_selftest", 24,
      [
        ("in_data", \.in_data, 0), ("out_data", \.out_data, 4), ("out_mmap_offset", \.out_mmap_offset, 8),
        ("out_mmap_length", \.out_mmap_length, 16),
      ]),
    row(
      iommu_test_cmd.self, "iommu_test_cmd", 72,
      [("size", \.size, 0), ("op", \.op, 4), ("id", \.id, 8), ("__reserved", \.__reserved, 12), ("last", \.last, 64)]),
  ]

  @Test(arguments: rows)
  func structMatchesTheKernel(_ row: Row) {
    #expect(row.size == row.expectedSize, "sizeof(struct \(row.name)) is \(row.size), the kernel's is \(row.expectedSize)")
    for (field, actual, expected) in row.fields {
      #expect(actual == expected, "\(row.name).\(field) is at \(actual.map(String.init) ?? "?"), the kernel's at \(expected)")
    }
  }

  /// Fields inside anonymous unions, which Swift cannot take offsets of:
  /// the C side reports them.
  @Test func unionFieldsMatchTheKernel() {
    #expect(cmdqv_uapi_offset_of_test_cmd_last() == 64)
    #expect(cmdqv_uapi_offset_of_hw_info_out_data_type() == 24)
  }

  /// The ioctl numbers and minimum sizes (`iommufd_ioctl_ops`, main.c).
  @Test func ioctlNumbersAreTheKernels() {
    #expect(IOMMU_DESTROY == 0x3B80)
    #expect(IOMMU_IOAS_MAP == 0x3B85)
    #expect(IOMMU_HWPT_ALLOC == 0x3B89)
    #expect(IOMMU_HWPT_INVALIDATE == 0x3B8D)
    #expect(IOMMU_VIOMMU_ALLOC == 0x3B90)
    #expect(IOMMU_VEVENTQ_ALLOC == 0x3B93)
    #expect(IOMMU_HW_QUEUE_ALLOC == 0x3B94)
    #expect(IOMMU_TEST_CMD == 0x3BA0)
  }
}

/// The byte layer sits on the driver layer only: like IOMMUFD, it never
/// imports the hardware model (Docs/Architecture.md).
@Test func byteLayerNeverImportsTheModel() throws {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/IOMMUFDUAPI").path
  let files = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(".swift") }
  #expect(files.count > 5)
  for file in files {
    let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
    #expect(!text.contains("import CMDQVModel"), "\(file) imports CMDQVModel")
    #expect(!text.contains("import CMDQVTestSupport"), "\(file) imports CMDQVTestSupport")
  }
}
